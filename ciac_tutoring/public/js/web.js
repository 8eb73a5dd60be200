// Frappe's login page shows the site's logo beside its heading without an `alt`: screen readers
// then read the file name. The logo repeats the heading, so it is marked decorative.
document.addEventListener("DOMContentLoaded", function () {
	document.querySelectorAll("img.app-logo:not([alt])").forEach(function (img) {
		img.setAttribute("alt", "");
	});
});
