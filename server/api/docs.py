"""GET /docs: the API reference rendered on the server from /openapi.json (no JavaScript, no CDN)."""
from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template

blp_docs = Blueprint("docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict, node):
    if isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        target = spec
        for p in parts:
            target = target.get(p, {})
        return target
    return node


def _operations(spec: dict) -> list[dict]:
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = []
            for status, resp in sorted(op.get("responses", {}).items(), key=lambda kv: str(kv[0])):
                resp = _resolve(spec, resp)
                content = resp.get("content", {})
                schema = next(iter(content.values()), {}).get("schema") if content else None
                responses.append({"status": status, "description": resp.get("description", ""),
                                  "schema": schema.get("$ref", "").rsplit("/", 1)[-1] if schema else ""})
            ops.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tags": op.get("tags", []),
                "security": [name for req in op.get("security", []) for name in req],
                "parameters": op.get("parameters", []),
                "body_schema": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                "example": json.dumps(body["example"], indent=2, ensure_ascii=False) if "example" in body else "",
                "responses": responses,
                "anchor": f"{method}-{path}".replace("/", "-").replace(":", "-").replace("{", "").replace("}", ""),
            })
    return ops


@blp_docs.route("/docs")
def docs_page():
    spec = current_app.extensions["kindshield.api"].spec.to_dict()
    schemas = {name: json.dumps(s, indent=2, ensure_ascii=False)
               for name, s in spec.get("components", {}).get("schemas", {}).items()}
    return render_template("docs.html", spec=spec, info=spec.get("info", {}), operations=_operations(spec),
                           schemas=schemas)


def init_app(app):
    app.register_blueprint(blp_docs)
    app.extensions["kindshield.limit_exempt"].add("docs.docs_page")
