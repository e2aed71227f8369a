"""The content room: Markdown files and YAML become a Library.

Articles, topics and the bibliography are loaded, links and citations found, the content checked.
No rendering, no search.

The names below are the room's public face: code outside ``desktop_app.core.content`` imports only
these. They load on first use (PEP 562), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.faces import lazy_names

if TYPE_CHECKING:
    from desktop_app.core.content.bibliography import Bibliography as Bibliography
    from desktop_app.core.content.bibliography import Reference as Reference
    from desktop_app.core.content.bibliography import load_bibliography as load_bibliography
    from desktop_app.core.content.checks import HEDGES as HEDGES
    from desktop_app.core.content.checks import PageFacts as PageFacts
    from desktop_app.core.content.checks import PageInspector as PageInspector
    from desktop_app.core.content.checks import check_library as check_library
    from desktop_app.core.content.frontmatter import FrontMatterError as FrontMatterError
    from desktop_app.core.content.frontmatter import parse_yaml as parse_yaml
    from desktop_app.core.content.identity import is_index_page as is_index_page
    from desktop_app.core.content.identity import rel_file as rel_file
    from desktop_app.core.content.library import MAX_FOLDER_DEPTH as MAX_FOLDER_DEPTH
    from desktop_app.core.content.library import Article as Article
    from desktop_app.core.content.library import Library as Library
    from desktop_app.core.content.library import Topic as Topic
    from desktop_app.core.content.library import load_library as load_library
    from desktop_app.core.content.links import APP_SCHEME as APP_SCHEME
    from desktop_app.core.content.links import CITATION_RE as CITATION_RE
    from desktop_app.core.content.links import CITE_KEY_RE as CITE_KEY_RE
    from desktop_app.core.content.links import CODE_SHORTCODE_RE as CODE_SHORTCODE_RE
    from desktop_app.core.content.links import RESOURCE_SCHEME as RESOURCE_SCHEME
    from desktop_app.core.content.links import WIKI_LINK_RE as WIKI_LINK_RE
    from desktop_app.core.content.links import LinkKind as LinkKind
    from desktop_app.core.content.links import backlinks as backlinks
    from desktop_app.core.content.links import find_citations as find_citations
    from desktop_app.core.content.links import find_links as find_links
    from desktop_app.core.content.links import parse_target as parse_target
    from desktop_app.core.content.links import parse_wiki_target as parse_wiki_target
    from desktop_app.core.content.manifest import Manifest as Manifest
    from desktop_app.core.content.resolve import LinkIndex as LinkIndex
    from desktop_app.core.content.resolve import Resolved as Resolved
    from desktop_app.core.content.resolve import anchor_key as anchor_key
    from desktop_app.core.content.resources import image_size as image_size
    from desktop_app.core.content.resources import resolve_resource as resolve_resource
    from desktop_app.core.content.titles import find_titles as find_titles

_MODULE_OF = {
    "APP_SCHEME": "links",
    "Article": "library",
    "Bibliography": "bibliography",
    "CITATION_RE": "links",
    "CITE_KEY_RE": "links",
    "CODE_SHORTCODE_RE": "links",
    "FrontMatterError": "frontmatter",
    "HEDGES": "checks",
    "Library": "library",
    "LinkIndex": "resolve",
    "Resolved": "resolve",
    "anchor_key": "resolve",
    "LinkKind": "links",
    "MAX_FOLDER_DEPTH": "library",
    "Manifest": "manifest",
    "PageFacts": "checks",
    "PageInspector": "checks",
    "RESOURCE_SCHEME": "links",
    "Reference": "bibliography",
    "Topic": "library",
    "WIKI_LINK_RE": "links",
    "backlinks": "links",
    "check_library": "checks",
    "find_citations": "links",
    "find_links": "links",
    "find_titles": "titles",
    "image_size": "resources",
    "is_index_page": "identity",
    "rel_file": "identity",
    "load_bibliography": "bibliography",
    "load_library": "library",
    "parse_target": "links",
    "parse_wiki_target": "links",
    "parse_yaml": "frontmatter",
    "resolve_resource": "resources",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = lazy_names(__name__, _MODULE_OF)
