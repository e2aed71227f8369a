#!/usr/bin/python3
"""Read and drive Spine Atlas through AT-SPI, as a screen reader does; print JSON.

Run by Debian's /usr/bin/python3 (pyatspi is a Debian package, not a wheel), with the
DBUS_SESSION_BUS_ADDRESS and DISPLAY of the stack in ``stack.py``. Commands:

    ping                    the AT-SPI registry answers
    wait-app                the app's main window is on the AT-SPI tree
    dump [depth]            the window's tree: role, name, description, states, interfaces
    run STEPS               a JSON list of steps, e.g. [["key", "ctrl+k"], ["type", "pain"],
                            ["wait", 1.0], ["focused"], ["find", "name", "Result count"]]; the
                            answer lists each step's result and the events heard meanwhile;
                            other steps: set-text, children, focusables, caret-line,
                            child-action, links, grab-focus, action, events, clear-events
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi
from gi.repository import GLib

APP = "Spine Atlas"
KEYSYMS = {
    "down": 0xFF54,
    "up": 0xFF52,
    "left": 0xFF51,
    "right": 0xFF53,
    "home": 0xFF50,
    "end": 0xFF57,
    "return": 0xFF0D,
    "enter": 0xFF0D,
    "tab": 0xFF09,
    "escape": 0xFF1B,
    "space": 0x20,
    "backspace": 0xFF08,
    "f3": 0xFFC0,
    "f6": 0xFFC3,
    "f10": 0xFFC7,
    "menu": 0xFF67,
    "pagedown": 0xFF56,
    "pageup": 0xFF55,
}
MODIFIERS = {"shift": 1 << 0, "ctrl": 1 << 2, "alt": 1 << 3}
EVENTS = (
    "object:state-changed",
    "object:text-caret-moved",
    "object:announcement",
    "object:property-change:accessible-name",
    "object:property-change:accessible-description",
    "object:text-changed",
    "object:children-changed",
    "object:active-descendant-changed",
    "window:activate",
)
heard: list[dict[str, object]] = []
focus_events: list[object] = []  # sources of object:state-changed:focused (detail1=1)


def pump(seconds: float) -> None:
    """Let AT-SPI events arrive for ``seconds``."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def app_frame() -> object | None:
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None:
            continue
        try:
            for child in app:
                if child is not None and child.getRoleName() == "frame" and APP in child.name:
                    return child
        except Exception:  # an application that went away
            continue
    return None


def interfaces(acc: object) -> list[str]:
    try:
        return sorted(acc.get_interfaces())
    except Exception:
        return []


def text_of(acc: object, limit: int = 120) -> str | None:
    try:
        text = acc.queryText()
    except NotImplementedError:
        return None
    return text.getText(0, min(text.characterCount, limit))


def describe(acc: object, *, full: bool = False) -> dict[str, object]:
    states = acc.getState()
    info: dict[str, object] = {
        "role": acc.getRoleName(),
        "name": acc.name,
        "description": acc.description,
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
    }
    ifaces = interfaces(acc)
    if full:
        info["interfaces"] = ifaces
    if "Text" in ifaces:
        text = acc.queryText()
        info["text"] = text_of(acc)
        info["characters"] = text.characterCount
        info["caret"] = text.caretOffset
        if full:
            line = text.getTextAtOffset(text.caretOffset, pyatspi.TEXT_BOUNDARY_LINE_START)
            info["caret_line"] = line[0]
    if "Hypertext" in ifaces:
        hyper = acc.queryHypertext()
        info["links"] = hyper.getNLinks()
    try:
        attributes = acc.getAttributes()
        if attributes:
            info["attributes"] = list(attributes)
    except Exception:
        pass
    return info


def walk(acc: object, depth: int, limit: int) -> dict[str, object]:
    node = describe(acc, full=True)
    if depth < limit:
        kids = []
        for child in acc:
            if child is not None:
                kids.append(walk(child, depth + 1, limit))
        if kids:
            node["children"] = kids
    return node


def find(root: object, key: str, value: str) -> object | None:
    def match(acc: object) -> bool:
        if key == "name":
            return acc.name == value
        if key == "role":
            return acc.getRoleName() == value
        if key == "name~":
            return value in (acc.name or "")
        if key == "focused":
            states = acc.getState()
            return states.contains(pyatspi.STATE_FOCUSED) and acc.getRoleName() == value
        return False

    return pyatspi.findDescendant(root, match, True)


def focused(root: object) -> object | None:
    """Return what has the keyboard: the newest focus event's source, else a search."""
    for source in reversed(focus_events):
        try:
            if source.getState().contains(pyatspi.STATE_FOCUSED):
                return source
        except Exception:  # gone since (a result list that was replaced)
            continue

    def is_focused(acc: object) -> bool:
        states = acc.getState()
        return (
            states.contains(pyatspi.STATE_FOCUSED)
            and states.contains(pyatspi.STATE_SHOWING)
            and not states.contains(pyatspi.STATE_TRANSIENT)
        )

    return pyatspi.findDescendant(root, is_focused, True)


def _window_attributes() -> type:
    import ctypes

    ints = [(f, ctypes.c_int) for f in "x y width height border_width depth".split()]

    class WindowAttributes(ctypes.Structure):
        _fields_ = [
            *ints,
            ("visual", ctypes.c_void_p),
            ("root", ctypes.c_ulong),
            ("class_", ctypes.c_int),
            ("bit_gravity", ctypes.c_int),
            ("win_gravity", ctypes.c_int),
            ("backing_store", ctypes.c_int),
            ("backing_planes", ctypes.c_ulong),
            ("backing_pixel", ctypes.c_ulong),
            ("save_under", ctypes.c_int),
            ("colormap", ctypes.c_ulong),
            ("map_installed", ctypes.c_int),
            ("map_state", ctypes.c_int),
            ("all_event_masks", ctypes.c_long),
            ("your_event_mask", ctypes.c_long),
            ("do_not_propagate_mask", ctypes.c_long),
            ("override_redirect", ctypes.c_int),
            ("screen", ctypes.c_void_p),
        ]

    return WindowAttributes


def activate_window() -> bool:
    """Give the app's top-level X window the keyboard focus (Xvfb has no window manager)."""
    import ctypes
    import ctypes.util

    WindowAttributes = _window_attributes()
    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    display = x11.XOpenDisplay(None)
    if not display:
        return False
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    root = x11.XDefaultRootWindow(display)
    handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    ignore = handler_type(lambda _display, _error: 0)  # unmapped windows refuse focus (BadMatch)
    x11.XSetErrorHandler.argtypes = [handler_type]
    x11.XSetErrorHandler(ignore)
    parent, root_ret = ctypes.c_ulong(), ctypes.c_ulong()
    children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_void_p] * 4
    x11.XQueryTree(
        display,
        root,
        ctypes.byref(root_ret),
        ctypes.byref(parent),
        ctypes.byref(children),
        ctypes.byref(count),
    )
    x11.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
    x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
    x11.XRaiseWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    found = False
    for i in range(count.value):
        attributes = WindowAttributes()
        x11.XGetWindowAttributes(display, children[i], ctypes.byref(attributes))
        # The app's main window: the one big viewable top-level (its title is UTF-8 only).
        if attributes.map_state == 2 and attributes.width > 400:  # IsViewable
            x11.XRaiseWindow(display, children[i])
            x11.XSetInputFocus(display, children[i], 2, 0)  # RevertToParent, CurrentTime
            found = True
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XFlush(display)
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay(display)
    pump(0.3)
    return found


def press(spec: str) -> None:
    *mods, key = spec.lower().split("+") if spec != "+" else ["+"]
    mask = 0
    for mod in mods:
        mask |= MODIFIERS[mod]
    if mask:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_LOCKMODIFIERS)
    sym = KEYSYMS.get(key, ord(key) if len(key) == 1 else None)
    if sym is None:
        raise SystemExit(f"unknown key {key}")
    pyatspi.Registry.generateKeyboardEvent(sym, None, pyatspi.KEY_SYM)
    if mask:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_UNLOCKMODIFIERS)
    pump(0.15)


def on_event(event: object) -> None:
    try:
        source = event.source
        role = source.getRoleName() if source else ""
        name = source.name if source else ""
    except Exception:
        role = name = ""
    if event.type == "object:state-changed:focused" and event.detail1:
        focus_events.append(event.source)
    any_data = event.any_data
    if not isinstance(any_data, str | int | float | bool | type(None)):
        any_data = str(any_data)
    heard.append(
        {
            "type": event.type,
            "detail1": event.detail1,
            "detail2": event.detail2,
            "data": any_data,
            "role": role,
            "name": name,
        }
    )


def step(root: object, command: list[object]) -> object:
    verb, *args = command
    if verb == "key":
        for spec in str(args[0]).split():
            press(spec)
        return None
    if verb == "type":
        for char in str(args[0]):
            press(char)
        return None
    if verb == "activate":
        return activate_window()
    if verb == "wait":
        pump(float(args[0]))
        return None
    if verb == "clear-events":
        heard.clear()
        return None
    if verb == "focused":
        acc = focused(root)
        return describe(acc, full=True) if acc else None
    if verb == "focused-parent":
        acc = focused(root)
        parent = acc.parent if acc else None
        return describe(parent, full=True) if parent else None
    if verb == "find":
        acc = find(root, str(args[0]), str(args[1]))
        if acc is None:
            return None
        if len(args) > 2 and args[2] == "tree":
            return walk(acc, 0, 2)
        return describe(acc, full=True)
    if verb == "action":
        acc = find(root, str(args[0]), str(args[1]))
        actions = acc.queryAction()
        names = [actions.getName(i) for i in range(actions.nActions)]
        wanted = str(args[2]) if len(args) > 2 else names[0]
        actions.doAction(names.index(wanted))
        pump(0.3)
        return names
    if verb == "child-action":
        parent = find(root, str(args[0]), str(args[1]))
        acc = parent.getChildAtIndex(int(args[2]))
        actions = acc.queryAction()
        actions.doAction(0)
        pump(0.3)
        return acc.name
    if verb == "grab-focus":
        acc = find(root, str(args[0]), str(args[1]))
        acc.queryComponent().grabFocus()
        pump(0.3)
        return None
    if verb == "links":
        acc = find(root, str(args[0]), str(args[1]))
        hyper = acc.queryHypertext()
        out = []
        for i in range(min(hyper.getNLinks(), int(args[2]) if len(args) > 2 else 10)):
            link = hyper.getLink(i)
            out.append({"start": link.startIndex, "end": link.endIndex, "uri": link.getURI(0)})
        return out
    if verb == "set-text":
        acc = find(root, str(args[0]), str(args[1]))
        acc.queryEditableText().setTextContents(str(args[2]))
        pump(0.3)
        return None
    if verb == "children":
        acc = find(root, str(args[0]), str(args[1]))
        if acc is None:
            return None
        limit = int(args[2]) if len(args) > 2 else 50
        return [describe(c, full=True) for c in list(acc)[:limit] if c is not None]
    if verb == "focusables":
        out = []

        def visit(acc: object) -> None:
            states = acc.getState()
            if states.contains(pyatspi.STATE_FOCUSABLE) and states.contains(pyatspi.STATE_SHOWING):
                out.append({"role": acc.getRoleName(), "name": acc.name})
            if acc.getRoleName() not in ("list", "tree", "tree table", "table", "document frame"):
                for child in acc:
                    if child is not None:
                        visit(child)

        visit(root)
        return out
    if verb == "caret-line":
        acc = find(root, str(args[0]), str(args[1]))
        text = acc.queryText()
        line = text.getTextAtOffset(text.caretOffset, pyatspi.TEXT_BOUNDARY_LINE_START)
        return {"caret": text.caretOffset, "line": line[0]}
    if verb == "events":
        kinds = [str(a) for a in args]
        return [e for e in heard if not kinds or any(str(e["type"]).startswith(k) for k in kinds)]
    raise SystemExit(f"unknown step {verb}")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "ping"
    if command == "ping":
        desktop = pyatspi.Registry.getDesktop(0)
        print(json.dumps({"desktop": desktop.name, "apps": desktop.childCount}))
        return 0
    root = app_frame()
    if root is None:
        print("no Spine Atlas frame on the AT-SPI tree", file=sys.stderr)
        return 3
    if command == "wait-app":
        print(json.dumps(describe(root)))
        return 0
    if command == "dump":
        depth = int(sys.argv[2]) if len(sys.argv) > 2 else 12
        print(json.dumps(walk(root, 0, depth), ensure_ascii=False))
        return 0
    if command == "run":
        steps = json.loads(sys.argv[2])
        for kind in EVENTS:
            pyatspi.Registry.registerEventListener(on_event, kind)
        pump(0.2)
        heard.clear()
        results = [step(root, s) for s in steps]
        print(json.dumps(results, ensure_ascii=False))
        return 0
    print(f"unknown command {command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
