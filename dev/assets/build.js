#!/usr/bin/env node
/*
 * Build the desk and website bundles of Frappe and of this app with esbuild.
 *
 *   node build.js --bench <bench folder> --apps frappe,ciac_tutoring
 *
 * A port of what matters in Frappe v15's own esbuild/esbuild.js (which expects the bench CLI's
 * layout, yarn and Redis at build time): every `*.bundle.{js,ts,css,scss,sass}` under each app's public/ becomes
 * sites/assets/<app>/dist/{js,css,css-rtl}/<name>.<hash>.<ext>, and sites/assets/assets.json
 * (assets-rtl.json for the right-to-left CSS) maps "desk.bundle.js" to its hashed URL, the
 * way frappe.utils.get_assets_json() and the `include_script`/`include_style` Jinja helpers
 * read it. Ported: the .html template loader (frappe.templates), Vue 3 SFCs and their styles
 * injected through frappe.dom.set_style, SCSS through sass with Frappe's include paths and
 * importer, PostCSS with autoprefixer and rtlcss, "frappe/public/..." imports resolved from
 * the apps folder, "/assets/..." URLs left alone.
 *
 * Nothing is written until all three builds (JS, CSS, RTL CSS) succeed: a failed build keeps
 * the previous bundles and maps, and exits non-zero.
 */

"use strict";

const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");
const glob = require("fast-glob");
const vue = require("esbuild-plugin-vue3");
const postCssPlugin = require("@frappe/esbuild-plugin-postcss2").default;
const autoprefixer = require("autoprefixer");
const rtlcss = require("rtlcss");

const STYLE_EXTENSIONS = [".css", ".scss", ".sass"];
const SCRIPT_EXTENSIONS = [".js", ".ts"];

function parse_args(argv) {
	const args = { bench: null, apps: [] };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === "--bench") args.bench = path.resolve(argv[++i]);
		else if (argv[i] === "--apps") args.apps = argv[++i].split(",").filter(Boolean);
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	if (!args.bench || !args.apps.length) throw new Error("usage: build.js --bench DIR --apps a,b");
	return args;
}

const args = parse_args(process.argv.slice(2));
const apps_path = path.join(args.bench, "apps");
const sites_path = path.join(args.bench, "sites");
const assets_path = path.join(sites_path, "assets");
const node_modules = path.resolve(require.resolve("esbuild"), "..", "..", "..");
// Frappe builds from apps/frappe: the PostCSS plugin resolves the plain CSS imports that sass
// leaves ("frappe/public/css/...css") from the working directory. The metafile's paths are
// relative to it too.
const working_dir = path.join(apps_path, "frappe");
process.chdir(working_dir);
const from_metafile = (output) => path.resolve(working_dir, output);

// An app's Python package lives at apps/<app>/<app>; its bundles under <package>/public.
const app_package = (app) => path.join(apps_path, app, app);
const public_path = (app) => path.join(app_package(app), "public");

// --- plugins -----------------------------------------------------------------------------

// `import "./list_item.html"` registers the template, as Frappe's frappe-html plugin does.
const html_plugin = {
	name: "frappe-html",
	setup(build) {
		build.onResolve({ filter: /\.html$/ }, (args) => ({
			path: path.join(args.resolveDir, args.path),
			namespace: "frappe-html",
		}));
		build.onLoad({ filter: /.*/, namespace: "frappe-html" }, async (args) => {
			const name = path.basename(args.path).split(".")[0];
			const content = (await fs.promises.readFile(args.path, "utf-8"))
				.replace(/\\/g, "\\\\")
				.replace(/`/g, "\\`")
				.replace(/\$\{/g, "\\${");
			return {
				contents: `\n\tfrappe.templates['${name}'] = \`${content}\`;\n`,
				watchFiles: [args.path],
			};
		});
	},
};

// Fonts and images are served from /assets by Frappe: keep those URLs as they are.
const ignore_assets_plugin = {
	name: "frappe-ignore-asset",
	setup(build) {
		build.onResolve({ filter: /^\/assets\// }, (args) => ({ path: args.path, external: true }));
	},
};

// Frappe's sass options: node_modules and the apps folder ("frappe/public/scss/...") on the
// include path; "~pkg" and "x.css" imports resolved like webpack did.
const sass_options = {
	includePaths: [node_modules, ...args.apps.map((app) => path.join(apps_path, app))],
	quietDeps: true,
	importer(url) {
		if (url.startsWith("~")) url = url.slice(1);
		if (url.endsWith(".css")) url = url.slice(0, -4);
		return { file: url };
	},
};

// --- entry points ------------------------------------------------------------------------

function collect_entry_points() {
	const scripts = {};
	const styles = {};
	const rtl_styles = {};
	for (const app of args.apps) {
		const root = public_path(app);
		if (!fs.existsSync(root)) continue;
		const files = glob.sync("**/*.bundle.{js,ts,css,scss,sass}", {
			cwd: root,
			absolute: true,
			ignore: ["node_modules/**", "dist/**"],
		});
		for (const file of files.sort()) {
			const extension = path.extname(file);
			const name = path.basename(file, extension);
			if (STYLE_EXTENSIONS.includes(extension)) {
				const output = path.join(app, "dist", "css", name);
				if (styles[output]) throw new Error(`two bundles build ${output}: ${styles[output]} and ${file}`);
				styles[output] = file;
				rtl_styles[path.join(app, "dist", "css-rtl", name)] = file;
			} else if (SCRIPT_EXTENSIONS.includes(extension)) {
				const output = path.join(app, "dist", "js", name);
				if (scripts[output]) throw new Error(`two bundles build ${output}: ${scripts[output]} and ${file}`);
				scripts[output] = file;
			}
		}
	}
	return { scripts, styles, rtl_styles };
}

function build_options(entryPoints, plugins) {
	return {
		entryPoints,
		entryNames: "[dir]/[name].[hash]",
		absWorkingDir: working_dir,
		outdir: assets_path,
		target: ["es2017"],
		bundle: true,
		minify: true,
		sourcemap: true,
		metafile: true,
		write: false,
		logLevel: "silent",
		// node_modules, and each app's folder so that "frappe/public/js/..." resolves.
		nodePaths: [node_modules, ...args.apps.map((app) => path.join(apps_path, app))],
		define: {
			"process.env.NODE_ENV": JSON.stringify("production"),
			__VUE_OPTIONS_API__: "true",
			__VUE_PROD_DEVTOOLS__: "false",
			__VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
		},
		plugins,
	};
}

function build_scripts(entryPoints) {
	return esbuild.build(build_options(entryPoints, [vue(), html_plugin]));
}

function build_styles(entryPoints, rtl) {
	const postcss_plugins = rtl ? [rtlcss, autoprefixer] : [autoprefixer];
	return esbuild.build(
		build_options(entryPoints, [
			ignore_assets_plugin,
			postCssPlugin({ plugins: postcss_plugins, sassOptions: sass_options }),
		])
	);
}

// --- outputs -----------------------------------------------------------------------------

const asset_url = (file) => "/" + path.relative(sites_path, file).split(path.sep).join("/");

const without_hash = (file) => path.basename(file).split(".").slice(0, -2).join(".");

// The CSS of Vue components lands in a .css beside each JS bundle; like Frappe, inject it from
// the bundle itself so that `frappe.require("form_builder.bundle.js")` brings its styles.
function inline_vue_styles(result) {
	const files = new Map(result.outputFiles.map((file) => [file.path, file]));
	const written = [];
	for (const [output, info] of Object.entries(result.metafile.outputs)) {
		const file = files.get(from_metafile(output));
		if (!file || !info.entryPoint || !output.endsWith(".js")) continue;
		// esbuild 0.14's metafile names no entry point for it: match "<name>.bundle.<hash>.css".
		const companion = [...files.keys()].find(
			(other) =>
				other.endsWith(".css") &&
				path.dirname(other) === path.dirname(file.path) &&
				without_hash(other) === without_hash(file.path)
		);
		let text = file.text;
		if (companion) {
			const name = path.basename(file.path).split(".bundle.")[0];
			text = `frappe.dom.set_style(${JSON.stringify(files.get(companion).text)}, "${name}");\n${text}`;
		}
		written.push({ path: file.path, contents: text });
		const map = files.get(file.path + ".map");
		if (map) written.push({ path: map.path, contents: map.contents });
	}
	return written;
}

function style_outputs(result) {
	return result.outputFiles
		.filter((file) => file.path.endsWith(".css") || file.path.endsWith(".css.map"))
		.map((file) => ({ path: file.path, contents: file.contents }));
}

// "desk.bundle.js" -> "/assets/frappe/dist/js/desk.bundle.X.js"; styles keyed by their .css
// name, the right-to-left ones prefixed with "rtl_" as frappe.utils.jinja_globals expects.
function manifest(results, rtl) {
	const map = {};
	for (const result of results) {
		for (const [output, info] of Object.entries(result.metafile.outputs)) {
			if (!info.entryPoint) continue;
			const file = from_metafile(output);
			const url = asset_url(file);
			const source = path.basename(info.entryPoint);
			const extension = path.extname(source);
			if (STYLE_EXTENSIONS.includes(extension) && file.endsWith(".css")) {
				const key = source.slice(0, -extension.length) + ".css";
				if (url.includes("/css-rtl/") === rtl) map[rtl ? `rtl_${key}` : key] = url;
			} else if (!rtl && SCRIPT_EXTENSIONS.includes(extension) && file.endsWith(".js")) {
				map[source.slice(0, -extension.length) + ".js"] = url;
			}
		}
	}
	return map;
}

function write_atomically(file, contents) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, contents);
	fs.renameSync(temporary, file);
}

function read_manifest(name) {
	try {
		return JSON.parse(fs.readFileSync(path.join(assets_path, name), "utf-8"));
	} catch (error) {
		return {};
	}
}

// The files the maps name, with their source maps.
function mapped_files(...manifests) {
	const files = new Set();
	for (const manifest of manifests) {
		for (const url of Object.values(manifest)) {
			const file = path.join(sites_path, url.replace(/^\//, ""));
			files.add(file);
			files.add(`${file}.map`);
		}
	}
	return files;
}

// Keep the previous build's files beside the new ones: a page that loaded the old maps (or a
// server that cached them) still finds its bundles; older generations go.
function prune_dist(apps, keep) {
	for (const app of apps) {
		for (const kind of ["js", "css", "css-rtl"]) {
			const folder = path.join(assets_path, app, "dist", kind);
			if (!fs.existsSync(folder)) continue;
			for (const name of fs.readdirSync(folder)) {
				const file = path.join(folder, name);
				if (!keep.has(file)) fs.rmSync(file, { force: true });
			}
		}
	}
}

function write_files(files) {
	for (const file of files) {
		fs.mkdirSync(path.dirname(file.path), { recursive: true });
		fs.writeFileSync(file.path, file.contents);
	}
}

function report_failure(error) {
	for (const message of error.errors || []) {
		const where = message.location
			? `${message.location.file}:${message.location.line}:${message.location.column}: `
			: "";
		console.error(`[assets] ERROR ${where}${message.text}`);
	}
	if (!error.errors) console.error(error);
}

async function main() {
	const started = Date.now();
	const { scripts, styles, rtl_styles } = collect_entry_points();
	const count = Object.keys(scripts).length + Object.keys(styles).length;
	if (!count) throw new Error("no *.bundle.* entry points found");
	// Let every build finish before reporting: exiting while esbuild still serves another
	// build makes its service print a goroutine dump over the real error.
	const settled = await Promise.allSettled([
		build_scripts(scripts),
		build_styles(styles, false),
		build_styles(rtl_styles, true),
	]);
	const failed = settled.filter((outcome) => outcome.status === "rejected");
	if (failed.length) {
		failed.slice(1).forEach((outcome) => report_failure(outcome.reason));
		throw failed[0].reason;
	}
	const [script_result, style_result, rtl_result] = settled.map((outcome) => outcome.value);
	const files = [
		...inline_vue_styles(script_result),
		...style_outputs(style_result),
		...style_outputs(rtl_result),
	];
	const assets = manifest([script_result, style_result], false);
	const assets_rtl = manifest([rtl_result], true);
	const expected = Object.keys(scripts).length + Object.keys(styles).length;
	if (Object.keys(assets).length !== expected) {
		throw new Error(`assets.json has ${Object.keys(assets).length} entries, expected ${expected}`);
	}
	const previous = [read_manifest("assets.json"), read_manifest("assets-rtl.json")];
	write_files(files);
	write_atomically(path.join(assets_path, "assets-rtl.json"), JSON.stringify(assets_rtl, null, 4));
	write_atomically(path.join(assets_path, "assets.json"), JSON.stringify(assets, null, 4));
	prune_dist(args.apps, mapped_files(assets, assets_rtl, ...previous));
	const warnings = [script_result, style_result, rtl_result].reduce((n, r) => n + r.warnings.length, 0);
	console.log(
		`[assets] built ${count} bundles of ${args.apps.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
			(warnings ? ` (${warnings} warnings)` : "")
	);
}

main().catch((error) => {
	report_failure(error);
	process.exit(1);
});
