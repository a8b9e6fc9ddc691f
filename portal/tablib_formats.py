"""tablib's XLSX format, loaded on first use instead of when django-import-export is imported.

django-import-export lists the formats it can offer when its `formats.base_formats` module is
imported (by the admin modules, at start): asking tablib for each format class imports tablib's
XLSX module, hence openpyxl and Pillow, about 9 MiB in every web worker for the few requests that
import or export a spreadsheet. tablib's registry already loads a format from its dotted path on
demand; only that availability check forces it. `xlsx_format_defer()`, called before the admin
modules load, registers a stand-in that answers the check (title, file extensions) itself and
hands every other attribute to the real class, imported then. Behaviour is unchanged: an import
or export of an XLSX file uses tablib's own class.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

XLSX_FORMAT_PATH = "tablib.formats._xlsx.XLSXFormat"


class DeferredFormat:
    """A tablib format known by its dotted path; the class is imported on first real use."""

    def __init__(self, path: str, *, title: str, extensions: tuple[str, ...]) -> None:
        self.path = path
        self.title = title
        self.extensions = extensions
        self._format: Any = None

    def __getattr__(self, name: str) -> Any:
        # Only attributes not set in __init__ arrive here: detect, export_set, import_set, ...
        if name.startswith("__") or name in ("path", "_format"):
            raise AttributeError(name)  # copy/pickle probing an instance not yet initialised
        if self._format is None:
            module_path, class_name = self.path.rsplit(".", 1)
            self._format = getattr(import_module(module_path), class_name)
        return getattr(self._format, name)


def xlsx_format_defer() -> None:
    """Register the deferred XLSX format, unless tablib has none (openpyxl not installed) or has
    already loaded the real class."""
    from tablib.formats import registry

    # tablib keeps {key: format class, or its dotted path until first use}.
    if registry._formats.get("xlsx") != XLSX_FORMAT_PATH:
        return
    registry.register("xlsx", DeferredFormat(XLSX_FORMAT_PATH, title="xlsx", extensions=("xlsx",)))
