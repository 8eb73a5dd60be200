"""import-linter contract types for the app's layers (pyproject.toml, [tool.importlinter]).

Frappe keeps each DocType's and report's tests beside it, and tests reach across every layer to set
up their data: the layers are those of the code the site runs, so these contracts check the import
graph without the test modules."""

from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract


def is_test_module(module: str) -> bool:
	parts = module.split(".")
	return "tests" in parts or parts[-1].startswith("test_") or parts[-1].endswith("_test_data")


def without_tests(graph):
	for module in [m for m in graph.modules if is_test_module(m)]:
		graph.remove_module(module)
	return graph


class ForbiddenOutsideTests(ForbiddenContract):
	def check(self, graph, verbose):
		return super().check(without_tests(graph), verbose)


class LayersOutsideTests(LayersContract):
	def check(self, graph, verbose):
		return super().check(without_tests(graph), verbose)
