"""Spine Atlas: an offline desktop reference on spinal manipulation."""

__version__ = "0.1.0"
