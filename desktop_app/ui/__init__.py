"""The Qt user interface (PySide6): a thin layer over the core."""
