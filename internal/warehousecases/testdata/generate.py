#!/usr/bin/env python3
"""Writes the table of upload cases (cases.json) with PyPI's answer to each.

Run with Debian sid's builds of the libraries PyPI uses on the path:

    PYTHONPATH=$(.ci/sid-python) /usr/bin/python3 generate.py > cases.json

Where a library decides, the answer is computed here with it: packaging
26.2 (Metadata.from_email(validate=True); wheel and sdist file names),
trove-classifiers, email-validator and readme_renderer. Where Warehouse's
own code decides (the upload form, its extra metadata rules, the file
name, archive and storage checks), the answer is written by hand and cites
the Warehouse commit and file:line it follows; those cases still go
through the libraries first, so that a hand-written answer behind a
library's refusal is caught here.

The rules of Warehouse's pipeline reproduced below (which error is reported
when several fields are wrong, how a description's content type picks a
renderer, the message templates) follow Warehouse at WAREHOUSE; they are
restated, not copied.
"""

import email.message
import email.utils
import json
import os
import sys

# packaging words some refusals with a list made from a set, whose order
# follows the string hash seed: it differs between PyPI's processes. The
# table is made with seed 0, and such cases are marked any_order.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

import packaging
import packaging.utils
import trove_classifiers
from packaging.metadata import Metadata
from packaging.requirements import Requirement

WAREHOUSE = "6b62157124ab7865029afeeadf282bce27d601d9"  # 2026-08-21
CORE_HELP = "https://packaging.python.org/specifications/core-metadata"
DESC_HELP = "https://pypi.org/help/#description-content-type"
LEGACY = "warehouse/forklift/legacy.py"
FORMS = "warehouse/forklift/forms.py"
META = "warehouse/forklift/metadata.py"
WHEEL = "warehouse/utils/wheel.py"
ZIPFILES = "warehouse/utils/zipfiles.py"
README = "warehouse/utils/readme.py"


def cite(path, line):
    return f"pypi/warehouse@{WAREHOUSE[:12]} {path}:{line}"


BASE = [
    ("Metadata-Version", "2.1"),
    ("Name", "sample"),
    ("Version", "1.0"),
    ("Summary", "A test package"),
]

CASES = []


def headers(*changes, base=BASE):
    """BASE with changes: (key, value) replaces the first header of that
    key or is appended; (key, None) removes it; ("+key", value) appends."""
    out = list(base)
    for key, value in changes:
        if key.startswith("+"):
            out.append((key[1:], value))
            continue
        idx = [i for i, (k, _) in enumerate(out) if k == key]
        if value is None:
            out = [h for h in out if h[0] != key]
        elif idx:
            out[idx[0]] = (key, value)
        else:
            out.append((key, value))
    return out


def add(name, *changes, kind="wheel", filename=None, root=None, description="",
        files=None, omit=None, archive="", form=None, setup="", scope="both",
        expect=None, base=BASE, any_order=False):
    """Adds a case. expect is (stage, cite, status, reason) for an answer
    written by hand from Warehouse; stage is "form" (before the metadata
    is parsed), "metadata" (Warehouse's own metadata rules), "readme45"
    (the description, as readme_renderer 45.0 renders it where 44.0
    differs) or "file" (after the metadata and description pass)."""
    hs = headers(*changes, base=base)
    meta = dict(hs)
    project = meta.get("Name", "sample")
    version = meta.get("Version", "1.0")
    stem = f"{packaging.utils.canonicalize_name(project).replace('-', '_')}-{version}"
    if filename is None:
        filename = stem + ("-py3-none-any.whl" if kind == "wheel" else ".tar.gz")
    if root is None:
        root = "-".join(filename.split("-")[:2]) if kind == "wheel" else filename.rsplit(".tar.gz", 1)[0].rsplit(".zip", 1)[0]
        if kind == "wheel":
            root += ".dist-info"
    case = {
        "name": name, "kind": kind, "filename": filename, "root": root,
        "headers": [list(h) for h in hs], "description": description,
        "files": files or {}, "omit": omit or [], "archive": archive,
        "form": form or {}, "setup": setup, "scope": scope, "any_order": any_order,
    }
    CASES.append((case, expect))


FORM_NAMES = {"Classifier": "classifiers", "Project-URL": "project_urls"}


def form_name(header):
    """The upload form's name for a core metadata field, as twine sends it."""
    return FORM_NAMES.get(header, header.lower().replace("-", "_"))


def metadata_text(case):
    """The metadata Warehouse judges: the form's, which is the file's
    (twine sends every field) less the fields the case's form leaves out."""
    dropped = {name for name, value in case["form"].items() if value is None}
    replaced = {name for name, value in case["form"].items() if value is not None}
    if any(form_name(k) in replaced for k, _ in case["headers"]):
        raise SystemExit(f"{case['name']}: the form replaces a metadata field; not supported")
    text = "".join(f"{k}: {v}\n" for k, v in case["headers"] if form_name(k) not in dropped)
    if case["description"]:
        text += "\n" + case["description"]
    return text


def pick_field(errors):
    """Warehouse reports the first error of Metadata-Version, Name or
    Version if any, else of the alphabetically first field
    (legacy.py _error_message_order)."""
    fields = {}
    for field, msg in errors:
        fields.setdefault(field, []).append(msg)
    for f in ("metadata-version", "name", "version"):
        if f in fields:
            return f, fields[f][0]
    f = sorted(fields)[0]
    return f, fields[f][0]


def metadata_reply(errors):
    field, msg = pick_field(errors)
    if not msg.endswith("."):
        msg += "."
    return f"{msg} See {CORE_HELP} for more information."


def packaging_errors(text):
    try:
        return Metadata.from_email(text.encode("utf-8"), validate=True), []
    except ExceptionGroup as group:
        return None, [(e.field, str(e)) for e in flatten(group)]


def flatten(group):
    for e in group.exceptions:
        if isinstance(e, ExceptionGroup):
            yield from flatten(e)
        else:
            yield e


def warehouse_library_errors(meta):
    """Warehouse's metadata rules whose verdict a library gives: address
    syntax (email-validator) and classifiers (trove-classifiers)."""
    import email_validator

    errors = []
    for field, value in (("author-email", meta.author_email), ("maintainer-email", meta.maintainer_email)):
        if value is None:
            continue
        _, address = email.utils.parseaddr(value)
        if not address:
            continue
        try:
            email_validator.validate_email(address, check_deliverability=False)
        except email_validator.EmailNotValidError as exc:
            errors.append((field, f"{address!r} is not a valid email address: {exc}"))
    classifiers = set(meta.classifiers or [])
    for c in sorted(classifiers - set(trove_classifiers.all_classifiers)):
        errors.append(("classifier", f"{c!r} is not a valid classifier."))
    for c in sorted(classifiers & trove_classifiers.deprecated_classifiers.keys()):
        by = trove_classifiers.deprecated_classifiers[c]
        if by:
            errors.append(("classifier", f"The classifier {c!r} has been deprecated, use one of {by} instead."))
        else:
            errors.append(("classifier", f"The classifier {c!r} has been deprecated."))
    return errors


def render_error(meta):
    """The description check (legacy.py file_upload, utils/readme.py):
    None when it renders."""
    if not meta.description:
        return None
    ctype = meta.description_content_type or "text/x-rst"
    msg = email.message.EmailMessage()
    msg["content-type"] = ctype
    kind = msg.get_content_type()
    if kind == "text/markdown":
        # readme_renderer[md] (cmarkgfm) renders any text; Debian's build
        # may lack cmarkgfm, so markdown is not rendered here.
        return None
    if kind == "text/x-rst":
        import readme_renderer.rst as renderer
    else:
        import readme_renderer.txt as renderer
    if renderer.render(meta.description) is not None:
        return None
    if meta.description_content_type:
        head = f"The description failed to render for '{ctype}'."
    else:
        head = "The description failed to render in the default format of reStructuredText."
    return f"{head} See {DESC_HELP} for more information."


def answer(case, expect):
    """Returns (source, cite, status, reason)."""
    if expect and expect[0] == "form":
        return ("warehouse", expect[1], expect[2], expect[3])
    meta, errors = packaging_errors(metadata_text(case))
    if errors:
        if expect:
            raise SystemExit(f"{case['name']}: packaging refuses it first: {errors}")
        return ("packaging", cite(LEGACY, 733), 400, metadata_reply(errors))
    if expect and expect[0] == "metadata":
        return ("warehouse", expect[1], expect[2], expect[3])
    if errors := warehouse_library_errors(meta):
        if expect:
            raise SystemExit(f"{case['name']}: a library refuses it first: {errors}")
        source = "trove-classifiers" if pick_field(errors)[0] == "classifier" else "email-validator"
        return (source, cite(META, 158 if source == "email-validator" else 164), 400, metadata_reply(errors))
    if expect and expect[0] == "readme45":
        # PyPI runs readme_renderer 45.0, which renders what 44.0 refuses
        # here; the answer is written for 45.0 and the difference checked.
        refused = render_error(meta) is not None
        if refused != (_version("readme-renderer") == "44.0"):
            raise SystemExit(f"{case['name']}: readme_renderer {_version('readme-renderer')} no longer shows the 44/45 difference")
        return ("readme_renderer 45.0", expect[1], expect[2], expect[3])
    if reason := render_error(meta):
        if expect:
            raise SystemExit(f"{case['name']}: the description does not render: {reason}")
        return ("readme_renderer", cite(LEGACY, 914), 400, reason)
    if expect:
        return ("warehouse", expect[1], expect[2], expect[3])
    return ("packaging", cite(LEGACY, 733), 200, "OK")


def wheel_filename_error(filename):
    """packaging's refusal of a wheel file name, as Warehouse words it
    (legacy.py:1435)."""
    try:
        packaging.utils.parse_wheel_filename(filename)
    except packaging.utils.InvalidWheelFilename as e:
        return str(e)
    raise SystemExit(f"{filename} is a valid wheel file name")


def bad_meta(field, msg):
    return f"{msg} See {CORE_HELP} for more information."


def define():
    W, S = "wheel", "sdist"
    # -- accepted uploads, one per metadata version and feature
    add("ok-wheel")
    add("ok-sdist", kind=S)
    for mv in ("1.0", "1.1", "1.2", "2.2", "2.3", "2.4", "2.5"):
        add(f"ok-metadata-version-{mv}", ("Metadata-Version", mv))
    add("ok-sdist-2.4", ("Metadata-Version", "2.4"), ("License-Expression", "MIT"), kind=S)
    add("ok-version-non-canonical", ("Version", "1.0.0"), filename="sample-1.0-py3-none-any.whl")
    add("ok-version-post", ("Version", "1.0.post1"))
    add("ok-version-prerelease", ("Version", "2.0rc1"))
    add("ok-epoch", ("Version", "1!2.0"))
    add("ok-name-dashes", ("Name", "my-sample.pkg"))
    add("ok-name-display-case", ("Name", "My.Sample"))
    add("ok-requires-dist", ("+Requires-Dist", "requests>=2.0; python_version > '3.8'"), ("+Requires-Dist", "attrs[tests]"))
    add("ok-requires-python", ("Requires-Python", ">=3.9,<4"))
    add("ok-provides-extra", ("Provides-Extra", "test"), ("+Requires-Dist", "pytest; extra == 'test'"))
    add("ok-keywords", ("Keywords", "one, two,three"))
    add("ok-project-url", ("Project-URL", "Homepage, https://example.com/sample"))
    add("ok-home-page", ("Home-page", "https://example.com/"))
    add("ok-author-email", ("Author-email", "Ada Lovelace <ada@example.com>"))
    add("ok-maintainer-email", ("Maintainer-email", "grace@example.org"))
    add("ok-classifier", ("Classifier", "Programming Language :: Python :: 3"))
    add("ok-dynamic", ("Metadata-Version", "2.2"), ("Dynamic", "Requires-Dist"), kind=S)
    add("ok-license-expression", ("Metadata-Version", "2.4"), ("License-Expression", "MIT OR Apache-2.0"))
    add("ok-license-ref", ("Metadata-Version", "2.4"), ("License-Expression", "LicenseRef-Proprietary"))
    add("ok-license-file", ("Metadata-Version", "2.4"), ("License-Expression", "MIT"), ("License-File", "LICENSE"),
        files={"sample-1.0.dist-info/licenses/LICENSE": "MIT License\n"})
    add("ok-license-file-sdist", ("Metadata-Version", "2.4"), ("License-File", "LICENSE"), kind=S,
        files={"sample-1.0/LICENSE": "MIT License\n"})
    add("ok-import-name", ("Metadata-Version", "2.5"), ("Import-Name", "sample"))
    add("ok-description-rst", ("Description-Content-Type", "text/x-rst"), description="Title\n=====\n\nSome *text*.\n")
    add("ok-description-default-rst", description="Plain paragraph with ``code``.\n")
    add("ok-description-markdown", ("Description-Content-Type", "text/markdown"), description="# Title\n\n.. not rst::\n")
    add("ok-description-gfm", ("Description-Content-Type", "text/markdown; variant=GFM"), description="| a |\n|---|\n| b |\n")
    add("ok-description-plain", ("Description-Content-Type", "text/plain"), description=".. broken::\n")
    add("ok-description-rst-charset", ("Description-Content-Type", "text/x-rst; charset=UTF-8"), description="Text.\n")
    add("ok-platform-manylinux", filename="sample-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
    add("ok-platform-manylinux2014", filename="sample-1.0-cp312-cp312-manylinux2014_aarch64.whl")
    add("ok-platform-musllinux", filename="sample-1.0-cp312-cp312-musllinux_1_2_x86_64.whl")
    add("ok-platform-macos-11", filename="sample-1.0-cp312-cp312-macosx_11_0_arm64.whl")
    add("ok-platform-macos-10", filename="sample-1.0-cp312-cp312-macosx_10_9_x86_64.whl")
    add("ok-platform-win", filename="sample-1.0-cp312-cp312-win_amd64.whl")
    add("ok-platform-linux-armv7l", filename="sample-1.0-cp312-cp312-linux_armv7l.whl")
    add("ok-platform-ios", filename="sample-1.0-cp313-cp313-ios_13_0_arm64_iphoneos.whl")
    add("ok-platform-android", filename="sample-1.0-cp313-cp313-android_21_arm64_v8a.whl")
    add("ok-build-tag", filename="sample-1.0-1-py3-none-any.whl")
    add("ok-entry-points", files={"sample-1.0.dist-info/entry_points.txt": "[console_scripts]\nsample = sample:main\nsample.cli-2 = sample:cli\n"})
    add("ok-entry-points-case-sensitive", files={"sample-1.0.dist-info/entry_points.txt":
        "[console_scripts]\nExample = example:main\nexample = example:main\n"})
    add("ok-entry-points-other-section", files={"sample-1.0.dist-info/entry_points.txt": "[my.plugins]\na b = sample:x\n"})

    # -- packaging's metadata checks
    for mv in ("2.0", "2.6", "3.0", "1.3", "two"):
        add(f"metadata-version-{mv}", ("Metadata-Version", mv))
    add("metadata-version-missing", ("Metadata-Version", None))
    add("version-missing", ("Version", None), filename="sample-1.0-py3-none-any.whl")
    add("version-invalid", ("Version", "1.0-foo-bar"), filename="sample-1.0-py3-none-any.whl")
    add("version-words", ("Version", "latest"), filename="sample-1.0-py3-none-any.whl")
    add("summary-twice", ("+Summary", "Another summary"))
    add("description-content-type-html", ("Description-Content-Type", "text/html"), description="<p>x</p>\n", any_order=True)
    add("description-content-type-charset", ("Description-Content-Type", "text/markdown; charset=latin-1"), description="x\n")
    add("description-content-type-variant", ("Description-Content-Type", "text/markdown; variant=Foo"), description="x\n", any_order=True)
    add("description-content-type-1.2", ("Metadata-Version", "1.2"), ("Description-Content-Type", "text/markdown"), description="x\n")
    add("requires-dist-1.1", ("Metadata-Version", "1.1"), ("Requires-Dist", "requests"))
    add("requires-dist-bad-specifier", ("Requires-Dist", "requests >="))
    add("requires-dist-bad-marker", ("Requires-Dist", "requests; python_version >= 3.8"))
    add("requires-dist-unknown-marker", ("Requires-Dist", "requests; os == 'nt'"))
    add("requires-dist-bad-name", ("Requires-Dist", "-requests"))
    add("requires-python-bare", ("Requires-Python", "3.8"))
    add("requires-python-trailing-comma", ("Requires-Python", ">=3.8,"))
    add("requires-python-compatible-one", ("Requires-Python", "~=3"))
    add("provides-extra-space", ("Provides-Extra", "my extra"))
    add("provides-extra-1.2", ("Metadata-Version", "1.2"), ("Provides-Extra", "test"))
    add("dynamic-2.1", ("Dynamic", "Requires-Dist"), kind=S)
    add("dynamic-name", ("Metadata-Version", "2.2"), ("Dynamic", "Name"), kind=S)
    add("dynamic-version", ("Metadata-Version", "2.2"), ("Dynamic", "Version"), kind=S)
    add("dynamic-unknown", ("Metadata-Version", "2.2"), ("Dynamic", "Colour"), kind=S)
    add("license-expression-2.3", ("Metadata-Version", "2.3"), ("License-Expression", "MIT"))
    add("license-expression-dangling", ("Metadata-Version", "2.4"), ("License-Expression", "MIT OR"))
    add("license-expression-unknown", ("Metadata-Version", "2.4"), ("License-Expression", "Not-A-License"))
    add("license-expression-lowercase", ("Metadata-Version", "2.4"), ("License-Expression", "mit"))
    # twine leaves License-File out below 2.4 (twine/package.py); sent anyway, PyPI refuses it
    add("license-file-2.3", ("Metadata-Version", "2.3"), ("License-File", "LICENSE"), scope="server",
        files={"sample-1.0.dist-info/licenses/LICENSE": "MIT License\n"})
    add("license-file-2.3-left-out", ("Metadata-Version", "2.3"), ("License-File", "LICENSE"), form={"license_file": None},
        files={"sample-1.0.dist-info/licenses/LICENSE": "MIT License\n"})
    add("license-file-absolute", ("Metadata-Version", "2.4"), ("License-File", "/LICENSE"))
    add("license-file-parent", ("Metadata-Version", "2.4"), ("License-File", "../LICENSE"))
    add("license-file-glob", ("Metadata-Version", "2.4"), ("License-File", "LICEN*"))
    add("import-name-2.4", ("Metadata-Version", "2.4"), ("Import-Name", "sample"))
    add("import-name-invalid", ("Metadata-Version", "2.5"), ("Import-Name", "1sample"))
    add("supported-platform-1.0", ("Metadata-Version", "1.0"), ("Supported-Platform", "linux"))
    add("name-and-version-errors", ("Version", "bad version"), ("Requires-Python", "3"), filename="sample-1.0-py3-none-any.whl")
    add("errors-alphabetical", ("Requires-Python", "3"), ("Requires-Dist", "x >="))

    # -- Warehouse's metadata rules decided by libraries
    add("author-email-no-dot", ("Author-email", "ada@localhost"))
    add("maintainer-email-bad", ("Maintainer-email", "Grace <grace@@example.org>"))
    add("classifier-unknown", ("Classifier", "Programming Language :: Cobol :: 2"))
    add("classifier-private", ("Classifier", "Private :: Do Not Upload"))
    add("classifiers-sorted", ("Classifier", "Zz :: Unknown"), ("+Classifier", "Aa :: Unknown"))
    dep_with = [c for c, by in sorted(trove_classifiers.deprecated_classifiers.items()) if by][0]
    dep_without = [c for c, by in sorted(trove_classifiers.deprecated_classifiers.items()) if not by][0]
    add("classifier-deprecated-replaced", ("Classifier", dep_with))
    add("classifier-deprecated", ("Classifier", dep_without))
    add("classifier-and-email", ("Classifier", "Foo :: Bar"), ("Author-email", "a@b"))

    # -- descriptions (readme_renderer)
    add("description-rst-unknown-directive", description="Title\n=====\n\n.. no-such-directive::\n")
    add("description-rst-explicit", ("Description-Content-Type", "text/x-rst"), description="Broken `link <\n")
    add("description-rst-charset", ("Description-Content-Type", "text/x-rst; charset=UTF-8"), description=".. raw:: html\n\n   <b>x</b>\n")
    add("description-rst-title-underline", description="Title\n==\n\ntext\n")
    add("description-rst-default-error", description="* item\ncontinued badly\n  - sub\n")

    # -- Warehouse's own metadata rules (hand-written)
    add("local-version", ("Version", "1.0+local"), filename="sample-1.0-py3-none-any.whl",
        expect=("metadata", cite(META, 120), 400,
                "The use of local versions in '1.0+local' is not allowed. See https://packaging.python.org/en/latest/"
                "specifications/version-specifiers/#local-version-identifiers for more information."))
    add("local-version-sdist", ("Version", "2.0+ubuntu1"), kind=S, filename="sample-2.0.tar.gz", root="sample-2.0",
        expect=("metadata", cite(META, 120), 400,
                "The use of local versions in '2.0+ubuntu1' is not allowed. See https://packaging.python.org/en/latest/"
                "specifications/version-specifiers/#local-version-identifiers for more information."))
    add("summary-too-long", ("Summary", "x" * 513),
        expect=("metadata", cite(META, 135), 400, bad_meta("summary", "'summary' field must be 512 characters or less.")))
    add("summary-512", ("Summary", "y" * 512))
    add("home-page-not-url", ("Home-page", "not a url"),
        expect=("metadata", cite(META, 202), 400, bad_meta("home-page", "'not a url' is not a valid url.")))
    add("download-url-ftp", ("Download-URL", "ftp://example.com/x.tar.gz"),
        expect=("metadata", cite(META, 202), 400, bad_meta("download-url", "'ftp://example.com/x.tar.gz' is not a valid url.")))
    add("project-url-label-long", ("Project-URL", "A" * 33 + ", https://example.com/"),
        expect=("metadata", cite(META, 215), 400, bad_meta("project-url", f"'{'A' * 33}' must be 32 characters or less.")))
    add("project-url-not-url", ("Project-URL", "Home, javascript:alert(1)"),
        expect=("metadata", cite(META, 221), 400, bad_meta("project-url", "'javascript:alert(1)' is not a valid url.")))
    add("requires-dist-direct-url", ("Requires-Dist", "dep @ https://example.com/dep-1.0.tar.gz"),
        expect=("metadata", cite(META, 259), 400,
                bad_meta("requires-dist", f"Can't have direct dependency: {Requirement('dep @ https://example.com/dep-1.0.tar.gz')}.")))
    add("provides-dist-direct-url", ("Metadata-Version", "1.2"), ("Provides-Dist", "dep @ https://example.com/dep.whl"),
        expect=("metadata", cite(META, 244), 400,
                bad_meta("provides-dist", "Can't have direct dependency: 'dep @ https://example.com/dep.whl'.")))
    add("obsoletes-dist-direct-url", ("Metadata-Version", "1.2"), ("Obsoletes-Dist", "old@https://example.com/old.whl"),
        expect=("metadata", cite(META, 244), 400,
                bad_meta("obsoletes-dist", "Can't have direct dependency: 'old@https://example.com/old.whl'.")))
    add("license-and-expression", ("Metadata-Version", "2.4"), ("License", "MIT"), ("License-Expression", "MIT"),
        expect=("metadata", cite(META, 283), 400, bad_meta("license",
                "License is deprecated when License-Expression is present. Only License-Expression should be present.")))

    # -- the upload form (hand-written; the server judges it, a file cannot show it)
    F = "server"
    add("form-name-missing", form={"name": None}, scope=F,
        expect=("form", cite(LEGACY, 662), 400, "'' is an invalid value for Name. Error: This field is required. "
                f"See {CORE_HELP} for more information."))
    add("form-name-invalid", ("Name", "sample_"), filename="sample-1.0-py3-none-any.whl",
        expect=("form", cite(FORMS, 38), 400, "'sample_' is an invalid value for Name. Error: Start and end with a letter "
                f"or numeral containing only ASCII numeric and '.', '_' and '-'. See {CORE_HELP} for more information."))
    add("form-name-space", ("Name", "my sample"), filename="my_sample-1.0-py3-none-any.whl",
        expect=("form", cite(FORMS, 38), 400, "'my sample' is an invalid value for Name. Error: Start and end with a letter "
                f"or numeral containing only ASCII numeric and '.', '_' and '-'. See {CORE_HELP} for more information."))
    add("form-name-missing-in-metadata", ("Name", None), filename="sample-1.0-py3-none-any.whl",
        expect=("form", cite(LEGACY, 662), 400, "'' is an invalid value for Name. Error: This field is required. "
                f"See {CORE_HELP} for more information."))
    add("form-protocol-version", form={"protocol_version": "2"}, scope=F,
        expect=("form", cite(LEGACY, 656), 400, "Unknown protocol version."))
    add("form-filetype-missing", form={"filetype": None}, scope=F,
        expect=("form", cite(FORMS, 50), 400, "Invalid value for filetype. Error: This field is required."))
    add("form-filetype-egg", form={"filetype": "bdist_egg"}, scope=F,
        expect=("form", cite(FORMS, 52), 400, "Invalid value for filetype. Error: Use a known file type."))
    add("form-pyversion-missing", form={"pyversion": None}, scope=F,
        expect=("form", cite(FORMS, 96), 400, "Invalid value for pyversion. Error: Python version is required for binary distribution uploads."))
    add("form-sdist-pyversion", kind=S, form={"pyversion": "py3"}, scope=F,
        expect=("form", cite(FORMS, 107), 400, "Invalid value for pyversion. Error: Use 'source' as Python version for an sdist."))
    add("form-sha256-malformed", form={"sha256_digest": "xyz"}, scope=F,
        expect=("form", cite(FORMS, 64), 400, "Invalid value for sha256_digest. Error: Use a valid, hex-encoded, SHA256 message digest."))
    add("form-blake2-malformed", form={"blake2_256_digest": "00"}, scope=F,
        expect=("form", cite(FORMS, 74), 400, "Invalid value for blake2_256_digest. Error: Use a valid, hex-encoded, BLAKE2 message digest."))
    add("form-no-digest", form={"sha256_digest": None, "blake2_256_digest": None, "md5_digest": None}, scope=F,
        expect=("form", cite(FORMS, 118), 400, "Error: Include at least one message digest."))
    add("form-no-content", setup="no-content", scope=F,
        expect=("file", cite(LEGACY, 744), 400, "Upload payload does not have a file."))
    add("form-image-content-type", setup="image-content", scope=F,
        expect=("file", cite(LEGACY, 1126), 400, "Invalid distribution file."))
    add("form-digest-mismatch", form={"sha256_digest": "0" * 64}, scope=F,
        expect=("file", cite(LEGACY, 1200), 400, "The digest supplied does not match a digest calculated from the uploaded file."))
    add("form-md5-only-mismatch", form={"sha256_digest": None, "blake2_256_digest": None, "md5_digest": "0" * 32}, scope=F,
        expect=("file", cite(LEGACY, 1200), 400, "The digest supplied does not match a digest calculated from the uploaded file."))
    add("form-wheel-as-sdist", form={"filetype": "sdist", "pyversion": "source"}, scope=F,
        expect=("file", cite(LEGACY, 273), 400, "Invalid file extension: Extension .whl is invalid for filetype sdist. "
                "See https://www.python.org/dev/peps/pep-0527 for more information."))
    add("form-sdist-as-wheel", kind=S, form={"filetype": "bdist_wheel", "pyversion": "py3"}, scope=F,
        expect=("file", cite(LEGACY, 273), 400, "Invalid file extension: Extension .tar.gz is invalid for filetype bdist_wheel. "
                "See https://www.python.org/dev/peps/pep-0527 for more information."))
    add("form-too-large", setup="max-size-1k", scope=F, files={"sample/data.bin": "x" * 4096},
        expect=("file", cite(LEGACY, 1154), 400, "File too large. Limit for project 'sample' is 0 MB. See "
                "https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase for more information."))

    # -- the index's state (hand-written; the server judges it)
    add("duplicate-same-file", setup="upload-twice", scope=F,
        expect=("file", cite(LEGACY, 1208), 200, "OK"))
    add("duplicate-filename", setup="other-content-first", scope=F,
        expect=("file", cite(LEGACY, 1220), 400, "File already exists ('sample-1.0-py3-none-any.whl', with blake2_256 hash "
                "'{blake2}'). See https://pypi.org/help/#file-name-reuse for more information."))
    add("filename-deleted", setup="deleted-first", scope=F,
        expect=("file", cite(LEGACY, 1236), 400, "This filename was previously used by a file that has since been deleted. "
                "Use a different version. See https://pypi.org/help/#file-name-reuse for more information."))

    # -- file names (hand-written from legacy.py; packaging words the wheel name errors)
    add("wheel-extension-exe", filename="sample-1.0-py3-none-any.exe",
        expect=("file", cite(LEGACY, 280), 400, "Invalid file extension: Use .tar.gz, .whl or .zip extension. See "
                "https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information"))
    add("sdist-extension-tgz", kind=S, filename="sample-1.0.tgz",
        expect=("file", cite(LEGACY, 280), 400, "Invalid file extension: Use .tar.gz, .whl or .zip extension. See "
                "https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information"))
    add("sdist-extension-tar-bz2", kind=S, filename="sample-1.0.tar.bz2",
        expect=("file", cite(LEGACY, 280), 400, "Invalid file extension: Use .tar.gz, .whl or .zip extension. See "
                "https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information"))
    for name, fn in (("wheel-filename-parts", "sample-1.0-py3-none.whl"),
                     ("wheel-filename-bad-version", "sample-1.0x-py3-none-any.whl"),
                     ("wheel-filename-bad-build", "sample-1.0-x1-py3-none-any.whl")):
        add(name, filename=fn, expect=("file", cite(LEGACY, 1437), 400, wheel_filename_error(fn)))
    add("wheel-platform-linux", filename="sample-1.0-cp312-cp312-linux_x86_64.whl",
        expect=("file", cite(LEGACY, 1448), 400,
                "Binary wheel 'sample-1.0-cp312-cp312-linux_x86_64.whl' has an unsupported platform tag 'linux_x86_64'."))
    add("wheel-platform-macos-minor", filename="sample-1.0-cp312-cp312-macosx_11_3_arm64.whl",
        expect=("file", cite(LEGACY, 1448), 400,
                "Binary wheel 'sample-1.0-cp312-cp312-macosx_11_3_arm64.whl' has an unsupported platform tag 'macosx_11_3_arm64'."))
    add("wheel-platform-musl-ppc64", filename="sample-1.0-cp312-cp312-musllinux_1_2_ppc64.whl",
        expect=("file", cite(LEGACY, 1448), 400,
                "Binary wheel 'sample-1.0-cp312-cp312-musllinux_1_2_ppc64.whl' has an unsupported platform tag 'musllinux_1_2_ppc64'."))
    add("wheel-platform-second-tag", filename="sample-1.0-cp312-cp312-win_amd64.freebsd_14_x86_64.whl",
        expect=("file", cite(LEGACY, 1448), 400,
                "Binary wheel 'sample-1.0-cp312-cp312-win_amd64.freebsd_14_x86_64.whl' has an unsupported platform tag 'freebsd_14_x86_64'."))
    add("wheel-filename-dots", filename="sample.pkg-1.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1462), 400, "Start filename for 'sample' with 'sample'."))
    add("wheel-name-mismatch", ("Name", "other"), filename="sample-1.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1462), 400, "Start filename for 'other' with 'other'."))
    add("wheel-name-not-normalized", ("Name", "Sample"), filename="Sample-1.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1486), 400,
                "Filename 'Sample-1.0-py3-none-any.whl' should contain the normalized project name 'sample', not 'Sample'."))
    add("wheel-name-dash-not-normalized", ("Name", "my-sample"), filename="my.sample-1.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1486), 400,
                "Filename 'my.sample-1.0-py3-none-any.whl' should contain the normalized project name 'my_sample', not 'my.sample'."))
    add("wheel-version-mismatch", filename="sample-2.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1501), 400, "Version in filename should be '1.0' not '2.0'."))
    add("wheel-version-mismatch-post", ("Version", "1.0.post1"), filename="sample-1.0-py3-none-any.whl",
        expect=("file", cite(LEGACY, 1501), 400, "Version in filename should be '1.0.post1' not '1.0'."))
    add("sdist-name-mismatch", kind=S, filename="other-1.0.tar.gz",
        expect=("file", cite(LEGACY, 1374), 400, "Start filename for 'sample' with 'sample'."))
    add("sdist-name-not-normalized", ("Name", "Sample"), kind=S, filename="Sample-1.0.tar.gz",
        expect=("file", cite(LEGACY, 1391), 400, "Filename 'Sample-1.0.tar.gz' is invalid, should be 'sample-1.0.tar.gz'."))
    add("sdist-version-not-normalized", ("Version", "01.0"), kind=S, filename="sample-01.0.tar.gz",
        expect=("file", cite(LEGACY, 1391), 400, "Filename 'sample-01.0.tar.gz' is invalid, should be 'sample-1.0.tar.gz'."))
    add("sdist-version-mismatch", kind=S, filename="sample-2.0.tar.gz",
        expect=("file", cite(LEGACY, 1391), 400, "Filename 'sample-2.0.tar.gz' is invalid, should be 'sample-1.0.tar.gz'."))
    add("sdist-zip", kind=S, filename="sample-1.0.zip", archive="zip",
        expect=("file", cite(LEGACY, 1391), 400, "Filename 'sample-1.0.zip' is invalid, should be 'sample-1.0.tar.gz'."))
    add("sdist-filename-no-version", kind=S, filename="sample.tar.gz", root="sample-1.0",
        expect=("file", cite(LEGACY, 1331), 400, "Invalid source distribution filename: sample.tar.gz"))

    # -- archives (hand-written from legacy.py _is_valid_dist_file, utils/wheel.py, utils/zipfiles.py)
    add("wheel-not-zip", archive="garbage",
        expect=("file", cite(LEGACY, 323), 400, "Invalid distribution file. File is not a zipfile"))
    add("sdist-not-tar", kind=S, archive="garbage",
        expect=("file", cite(LEGACY, 418), 400, "Invalid distribution file. File is not a tarfile"))
    add("wheel-no-wheel-file", omit=["WHEEL"],
        expect=("file", cite(LEGACY, 387), 400, "Invalid distribution file. WHEEL not found at sample-1.0.dist-info/WHEEL"))
    add("wheel-dist-info-misnamed", root="Sample-1.0.dist-info",
        expect=("file", cite(LEGACY, 387), 400, "Invalid distribution file. WHEEL not found at sample-1.0.dist-info/WHEEL"))
    add("wheel-bzip2", archive="bzip2",
        expect=("file", cite(LEGACY, 360), 400, "Invalid distribution file. File does not use a supported compression type"))
    add("wheel-data-descriptor", archive="descriptor",
        expect=("file", cite(ZIPFILES, 145), 400, "Invalid distribution file. ZIP archive not accepted: ZIP contains a data "
                "descriptor. See https://docs.pypi.org/archives for more information"))
    add("wheel-no-record", omit=["RECORD"],
        expect=("file", cite(LEGACY, 1552), 400, "Wheel 'sample-1.0-py3-none-any.whl' does not contain the required RECORD "
                "file: sample-1.0.dist-info/RECORD"))
    add("wheel-no-metadata", omit=["METADATA"],
        expect=("file", cite(LEGACY, 1600), 400, "Wheel 'sample-1.0-py3-none-any.whl' does not contain the required METADATA "
                "file: sample-1.0.dist-info/METADATA"))
    ep = "Wheel 'sample-1.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file"
    for name, text in (("entry-points-no-section", "sample = sample:main\n"),
                       ("entry-points-slash", "[console_scripts]\nbin/sample = sample:main\n"),
                       ("entry-points-space", "[gui_scripts]\nmy app = sample:main\n"),
                       ("entry-points-colon-delimiter", "[console_scripts]\nsample: sample:main\n"),
                       ("entry-points-duplicate", "[console_scripts]\nsample = a:b\nsample = c:d\n"),
                       ("entry-points-duplicate-section", "[console_scripts]\na = a:b\n[console_scripts]\nb = c:d\n")):
        add(name, files={"sample-1.0.dist-info/entry_points.txt": text}, expect=("file", cite(LEGACY, 1578), 400, ep))
    add("wheel-license-file-missing", ("Metadata-Version", "2.4"), ("License-File", "LICENSE"),
        expect=("file", cite(LEGACY, 1536), 400, "License-File LICENSE does not exist in distribution file "
                "sample-1.0-py3-none-any.whl at sample-1.0.dist-info/licenses/LICENSE"))
    add("wheel-license-file-at-root", ("Metadata-Version", "2.4"), ("License-File", "COPYING"),
        files={"sample-1.0.dist-info/COPYING": "x\n"},
        expect=("file", cite(LEGACY, 1536), 400, "License-File COPYING does not exist in distribution file "
                "sample-1.0-py3-none-any.whl at sample-1.0.dist-info/licenses/COPYING"))
    add("sdist-license-file-missing", ("Metadata-Version", "2.4"), ("License-File", "LICENSE.txt"), kind=S,
        expect=("file", cite(LEGACY, 1420), 400, "License-File LICENSE.txt does not exist in distribution file "
                "sample-1.0.tar.gz at sample-1.0/LICENSE.txt"))
    add("sdist-no-pkg-info", kind=S, omit=["PKG-INFO"], files={"sample-1.0/setup.py": "\n"},
        expect=("file", cite(LEGACY, 458), 400, "Invalid distribution file. PKG-INFO not found at sample-1.0/PKG-INFO"))
    # the top directory is the members' common path: of one member, the member itself (legacy.py:556)
    add("sdist-no-pkg-info-one-member", kind=S, omit=["PKG-INFO"],
        expect=("file", cite(LEGACY, 458), 400,
                "Invalid distribution file. PKG-INFO not found at sample-1.0/pyproject.toml/PKG-INFO"))
    add("sdist-only-pkg-info", kind=S, omit=["pyproject.toml"],
        expect=("file", cite(LEGACY, 458), 400, "Invalid distribution file. PKG-INFO not found at sample-1.0/PKG-INFO/PKG-INFO"))
    add("sdist-two-top-dirs", kind=S, files={"other-1.0/x.py": "x\n"},
        expect=("file", cite(LEGACY, 452), 400, "Invalid distribution file. Incorrect number of top-level directories in sdist"))

    # -- more edges
    add("classifier-latin1", ("Classifier", "F\u00f6\u00f6 :: B\u00e4r"))
    add("classifier-not-latin1", ("Classifier", "Natural Language :: \u65e5\u672c\u8a9e"))
    add("author-email-two", ("Author-email", "a@example.com, b@example"))
    add("author-email-idn", ("Author-email", "ada@b\u00fccher.example"))
    add("maintainer-email-no-tld", ("Maintainer-email", "Grace <grace@example>"))
    add("ok-description-markdown-full", ("Description-Content-Type", "text/markdown; charset=UTF-8; variant=CommonMark"),
        description="*x*\n")
    add("ok-import-namespace", ("Metadata-Version", "2.5"), ("Import-Namespace", "sample"))
    add("project-url-no-url", ("Project-URL", "Home,"),
        expect=("metadata", cite(META, 219), 400, bad_meta("project-url", "Must have a URL.")))
    add("project-url-no-label", ("Project-URL", ", https://example.com/"),
        expect=("metadata", cite(META, 211), 400, bad_meta("project-url", "Must have a label.")))
    add("wheel-extension-uppercase", filename="sample-1.0-py3-none-any.WHL",
        expect=("file", cite(LEGACY, 273), 400, "Invalid file extension: Extension .WHL is invalid for filetype bdist_wheel. "
                "See https://www.python.org/dev/peps/pep-0527 for more information."))
    add("sdist-extension-uppercase", kind=S, filename="sample-1.0.TAR.GZ", root="sample-1.0",
        expect=("file", cite(LEGACY, 273), 400, "Invalid file extension: Extension .TAR.GZ is invalid for filetype sdist. "
                "See https://www.python.org/dev/peps/pep-0527 for more information."))
    add("sdist-post-release-hyphen", ("Version", "1.0-1"), kind=S, filename="sample-1.0-1.tar.gz",
        expect=("file", cite(LEGACY, 1391), 400, "Filename 'sample-1.0-1.tar.gz' is invalid, should be 'sample-1.0.post1.tar.gz'."))
    add("ok-sdist-version-three-parts", ("Version", "1.0.0"), kind=S)
    add("ok-platform-macos-universal2", filename="sample-1.0-cp312-cp312-macosx_10_15_universal2.whl")
    add("ok-platform-macos-26", filename="sample-1.0-cp312-cp312-macosx_26_0_arm64.whl")
    add("ok-platform-manylinux-ppc64", filename="sample-1.0-cp312-cp312-manylinux_2_28_ppc64.whl")
    add("ok-platform-pyemscripten", filename="sample-1.0-cp313-cp313-pyemscripten_2024_0_wasm32.whl")
    add("ok-platform-ios-simulator", filename="sample-1.0-cp313-cp313-ios_13_0_x86_64_iphonesimulator.whl")
    for name, tag in (("macos-16", "macosx_16_0_arm64"), ("emscripten", "emscripten_3_1_58_wasm32"),
                      ("android-armeabi", "android_21_armeabi"), ("linux-aarch64", "linux_aarch64"),
                      ("ios-arm64e", "ios_13_0_arm64e_iphoneos"), ("macos-arch", "macosx_11_0_sparc")):
        fn = f"sample-1.0-cp312-cp312-{tag}.whl"
        add(f"wheel-platform-{name}", filename=fn,
            expect=("file", cite(LEGACY, 1448), 400, f"Binary wheel '{fn}' has an unsupported platform tag '{tag}'."))
    for name, text in (("ok-entry-points-empty", ""),
                       ("ok-entry-points-unicode-name", "[console_scripts]\ncaf\u00e9 = sample:main\n"),
                       ("ok-entry-points-percent", "[console_scripts]\nsample = sample:main %(x)s\n"),
                       ("ok-entry-points-section-case", "[Console_Scripts]\nbin/sample = sample:main\n"),
                       ("ok-entry-points-comments", "# c\n; c\n[console_scripts]\nsample = sample:main\n"),
                       ("ok-entry-points-continuation", "[console_scripts]\nsample = sample:main\n  more\n")):
        add(name, files={"sample-1.0.dist-info/entry_points.txt": text})
    for name, text in (("entry-points-no-value", "[console_scripts]\nsample\n"),
                       ("entry-points-colon-in-name", "[console_scripts]\na:b = sample:main\n"),
                       ("entry-points-default-section", "[DEFAULT]\nbad name = x\n[console_scripts]\nsample = sample:main\n")):
        add(name, files={"sample-1.0.dist-info/entry_points.txt": text}, expect=("file", cite(LEGACY, 1578), 400, ep))
    add("entry-points-not-utf8", files={"sample-1.0.dist-info/entry_points.txt": "[console_scripts]\ncaf\u00e9 = sample:main\n"},
        archive="latin1", expect=("file", cite(WHEEL, 283), 400, ep))
    long_name = "a" * 70 + "_"
    add("form-name-long-invalid", ("Name", long_name), filename="a-1.0-py3-none-any.whl",
        expect=("form", cite(LEGACY, 674), 400, f"'{'a' * 30}...{'a' * 29}_' is an invalid value for Name. Error: Start and end "
                f"with a letter or numeral containing only ASCII numeric and '.', '_' and '-'. See {CORE_HELP} for more information."))
    add("form-name-non-ascii", ("Name", "s\u00e4mple"), filename="s\u00e4mple-1.0-py3-none-any.whl",
        expect=("form", cite(FORMS, 38), 400, "'s\u00e4mple' is an invalid value for Name. Error: Start and end with a letter "
                f"or numeral containing only ASCII numeric and '.', '_' and '-'. See {CORE_HELP} for more information."))
    add("ok-version-v-prefix", ("Version", "v1.0"), filename="sample-1.0-py3-none-any.whl")
    add("ok-sdist-version-v-prefix", ("Version", "v1.0"), kind=S, filename="sample-1.0.tar.gz", root="sample-1.0")
    add("ok-summary-512-non-ascii", ("Summary", "\u00e9" * 512))
    add("summary-513-non-ascii", ("Summary", "\u00e9" * 513),
        expect=("metadata", cite(META, 135), 400, bad_meta("summary", "'summary' field must be 512 characters or less.")))
    add("ok-description-rst-scale-image", description="Title\n=====\n\n.. image:: https://example.com/x.png\n   :scale: 50%\n",
        expect=("readme45", cite(LEGACY, 906), 200, "OK"))
    # Warehouse reads neither WHEEL's content nor RECORD's hashes: a wrong RECORD only sends an email
    add("ok-record-wrong-hash", files={"sample-1.0.dist-info/RECORD": "sample/__init__.py,sha256=AAAA,1\n"})
    add("ok-wheel-version-2", files={"sample-1.0.dist-info/WHEEL": "Wheel-Version: 2.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"})
    add("ok-wheel-file-empty", files={"sample-1.0.dist-info/WHEEL": ""})
    # a RECORD that does not decode as UTF-8 counts as missing (utils/wheel.py:219)
    add("wheel-record-not-utf8", files={"sample-1.0.dist-info/RECORD": "sample/caf\u00e9.py,,\n"}, archive="latin1",
        expect=("file", cite(LEGACY, 1552), 400, "Wheel 'sample-1.0-py3-none-any.whl' does not contain the required "
                "RECORD file: sample-1.0.dist-info/RECORD"))


def main():
    define()
    names = set()
    out = []
    for case, expect in CASES:
        if case["name"] in names:
            raise SystemExit(f"duplicate case {case['name']}")
        names.add(case["name"])
        source, where, status, reason = answer(case, expect)
        case.update(source=source, cite=where, status=status, reason=reason)
        out.append(case)
    json.dump({
        "generator": "internal/warehousecases/testdata/generate.py",
        "warehouse": WAREHOUSE,
        "packaging": packaging.__version__,
        "trove_classifiers": _version("trove-classifiers"),
        "readme_renderer": _version("readme-renderer"),
        "docutils": _version("docutils"),
        "email_validator": _version("email-validator"),
        "cases": out,
    }, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


def _version(dist):
    from importlib.metadata import version
    return version(dist)


if __name__ == "__main__":
    main()
