# Oracle for conformance_test.go: reads one JSON request per line,
# {"kind": ..., "input": ...}, and prints one JSON answer per line, using
# Debian's packaging, email.utils and trove_classifiers.
import email.utils
import json
import sys

import packaging
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def answer(kind, s):
    if kind == "requirement":
        try:
            r = Requirement(s)
        except InvalidRequirement as e:
            return {"ok": False, "err": str(e)}
        except Exception as e:  # PyPI answers HTTP 500 here
            return {"ok": False, "crash": type(e).__name__}
        return {"ok": True, "str": str(r), "url": r.url or ""}
    if kind == "specifier":
        try:
            SpecifierSet(s)
        except InvalidSpecifier as e:
            return {"ok": False, "err": str(e)}
        return {"ok": True}
    if kind == "version":
        try:
            v = Version(s)
        except InvalidVersion as e:
            return {"ok": False, "err": str(e)}
        return {"ok": True, "str": str(v), "local": v.local or ""}
    if kind == "parseaddr":
        name, addr = email.utils.parseaddr(s)
        return {"ok": True, "name": name, "addr": addr}
    if kind == "license":
        from packaging.licenses import canonicalize_license_expression
        try:
            return {"ok": True, "str": canonicalize_license_expression(s)}
        except ValueError as e:
            return {"ok": False, "err": str(e)}
        except Exception as e:  # PyPI answers HTTP 500 here
            return {"ok": False, "crash": type(e).__name__}
    if kind == "field":
        # "raw_name\0value": packaging's Metadata.from_raw on that one field.
        from packaging.metadata import Metadata, _LIST_FIELDS
        name, value = s.split("\0", 1)
        raw = {"metadata_version": "2.5", "name": "demo", "version": "1.0"}
        raw[name] = [value] if name in _LIST_FIELDS else value
        try:
            Metadata.from_raw(raw)
        except ExceptionGroup as g:
            return {"ok": False, "err": "|".join(str(e) for e in g.exceptions)}
        except Exception as e:  # PyPI answers HTTP 500 here
            return {"ok": False, "crash": type(e).__name__}
        return {"ok": True}
    if kind == "email":
        import email_validator
        try:
            email_validator.validate_email(s, check_deliverability=False)
        except email_validator.EmailNotValidError as e:
            return {"ok": False, "err": str(e)}
        return {"ok": True}
    if kind == "url":
        # Warehouse's warehouse/utils/http.py is_valid_uri(s, require_authority=False).
        import rfc3986
        uri = rfc3986.uri_reference(s).normalize()
        validator = rfc3986.validators.Validator().allow_schemes("http", "https")
        validator.require_presence_of("scheme")
        validator.check_validity_of("scheme", "host", "port", "path", "query")
        try:
            validator.validate(uri)
        except rfc3986.exceptions.ValidationError:
            return {"ok": False}
        return {"ok": True}
    raise ValueError(kind)


print(json.dumps({"packaging": packaging.__version__}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    print(json.dumps(answer(req["kind"], req["input"])), flush=True)
