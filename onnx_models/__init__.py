"""The shipped Kindshield models (data only)."""
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
