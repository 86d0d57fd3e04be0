"""Serve plotly.min.js from the installed plotly package as static file vendor/plotly.min.js."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"


class PlotlyJsFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=Path(plotly.__file__).parent / "package_data")

    def find(self, path, find_all=False, **kwargs):
        # As Django's own finders: an empty list when nothing matches, whatever find_all says.
        if path != PLOTLY_STATIC_PATH:
            return []
        match = self.storage.path("plotly.min.js")
        return [match] if find_all else match

    def list(self, ignore_patterns):
        # Staticfiles copies from (path, storage); the prefix places it under vendor/.
        self.storage.prefix = "vendor"
        yield "plotly.min.js", self.storage
