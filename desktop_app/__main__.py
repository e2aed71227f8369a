"""Entry point for ``python -m desktop_app`` (and the frozen app)."""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A frozen app is its own interpreter: a helper process of the index build (started
        # with multiprocessing's "spawn") and spawn's resource tracker run this binary, and
        # freeze_support() (PyInstaller's, which its runtime hook installs) takes them over.
        import multiprocessing

        multiprocessing.freeze_support()
    from desktop_app.cli import main

    raise SystemExit(main())
