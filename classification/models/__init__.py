"""The app's models, one module per concern, all importable from here as Django expects."""

from .assessment import Assessment
from .history import LevelChange
from .kampung import Kampung
from .levels import ClassificationLevel
from .people import PokjaMembership, RegionScope
from .programs import Agency, KampungProgram, ThematicProgram
from .records import Activity, Frequency, KampungFigures, KampungProfile
from .regions import Kabupaten, Kecamatan, Provinsi
from .targets import TargetPolicy

__all__ = [
    "Activity",
    "Agency",
    "Assessment",
    "ClassificationLevel",
    "Frequency",
    "Kabupaten",
    "Kampung",
    "KampungFigures",
    "KampungProfile",
    "KampungProgram",
    "Kecamatan",
    "LevelChange",
    "PokjaMembership",
    "Provinsi",
    "RegionScope",
    "TargetPolicy",
    "ThematicProgram",
]
