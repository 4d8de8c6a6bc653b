# Oracle: renders descriptions with the installed readme_renderer exactly as
# Warehouse chooses the renderer, and reports the first halting docutils
# message. Protocol: one JSON object per input line {"d": text, "t": type};
# one JSON object per output line {"ok", "line", "level", "msg"}.
import io
import json
import sys
from email.message import EmailMessage

import docutils.parsers.rst.directives
import docutils.parsers.rst.roles
import docutils.utils
import readme_renderer.markdown
import readme_renderer.rst
import readme_renderer.txt

_captured = []


class _Captured(docutils.utils.SystemMessage):
    def __init__(self, node, level):
        super().__init__(node, level)
        _captured.append(node)


docutils.utils.SystemMessage = _Captured

# docutils keeps roles declared with ".. role::" (and the default role) in
# module-level registries; reset them so documents cannot affect each other.
_ROLES = dict(docutils.parsers.rst.roles._roles)
_DIRECTIVES = dict(docutils.parsers.rst.directives._directives)


def _reset():
    docutils.parsers.rst.roles._roles.clear()
    docutils.parsers.rst.roles._roles.update(_ROLES)
    docutils.parsers.rst.directives._directives.clear()
    docutils.parsers.rst.directives._directives.update(_DIRECTIVES)

# readme_renderer 45.0 (PyPI) adds these settings; older releases lack
# them, and id_prefix shows in messages that quote an id.
readme_renderer.rst.SETTINGS.setdefault("id_prefix", "user-content-")
readme_renderer.rst.SETTINGS.setdefault("section_self_link", True)

_RENDERERS = {
    "": readme_renderer.rst,
    "text/plain": readme_renderer.txt,
    "text/x-rst": readme_renderer.rst,
    "text/markdown": readme_renderer.markdown,
}


def check(desc, ctype):
    kind = ""
    if ctype:
        m = EmailMessage()
        m["content-type"] = ctype
        kind = m.get_content_type()
    renderer = _RENDERERS.get(kind, readme_renderer.txt)
    del _captured[:]
    _reset()
    if renderer is readme_renderer.rst:
        out = renderer.render(desc, stream=io.StringIO())
    else:
        out = renderer.render(desc)
    if out is not None:
        return {"ok": True}
    if _captured:
        node = _captured[0]
        text = node.children[0].astext() if node.children else ""
        return {"ok": False, "line": node.get("line") or 0,
                "level": node["level"], "msg": text}
    return {"ok": False, "line": 0, "level": 0,
            "msg": "No content rendered from RST source." if renderer is readme_renderer.rst else ""}


for raw in sys.stdin:
    req = json.loads(raw)
    try:
        res = check(req["d"], req.get("t", ""))
    except Exception as e:  # a crash in docutils: report, do not stop the batch
        res = {"ok": False, "line": 0, "level": -1, "msg": "oracle crash: %r" % (e,)}
    sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()
