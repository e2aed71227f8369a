"""The core: content library, front matter, links, rendering, search. Never imports Qt."""
