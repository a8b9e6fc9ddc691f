"""In-process probes, run inside either system's own environment (portal or peer venv).

    <venv>/bin/python bench/peer/probe.py PROJECT_DIR SETTINGS COMMAND [ARGS...]

Commands (each prints one JSON object on its last line):
  session USERNAME          a logged-in session for USERNAME: {"cookie": name, "key": key}
  form FORM_PATH OVERRIDES  the form's fields after a GET (every <select> at its first non-empty
                            option, radios at their checked value, OVERRIDES a JSON object on top):
                            {"fields": {...}}
  submit FORM_PATH OVERRIDES [GETS]
                            after one warm-up submission, the statements of one GET and of one
                            POST through django.test.Client (BEGIN/COMMIT not counted), the
                            POST's status, and the CPU milliseconds per GET (time.process_time
                            over GETS requests, default 50): {"get_queries", "post_queries",
                            "post_status", "cpu_ms_per_get"}

Standard library plus Django only, so the same file runs under both virtual environments.
"""

from __future__ import annotations

import json
import os
import sys
import time
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """Every <form method=post> on the page: its fields as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.select: str | None = None
        self.select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
            return
        if self.fields is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"radio", "checkbox"}:
                if "checked" in attributes:
                    value = attributes.get("value")
                    self.fields[name] = "on" if value is None else value
                elif kind == "radio":
                    value = attributes.get("value")
                    self.fields.setdefault(name, "on" if value is None else value)
                return
            self.fields[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self.select, self.select_value = name, None
        elif tag == "option" and self.select:
            value = attributes.get("value")
            if value and (self.select_value is None or "selected" in attributes):
                self.select_value = value

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.fields is not None:
            self.fields[self.select] = self.select_value or ""
            self.select = None
        elif tag == "form":
            self.fields = None


def form_fields(html: str, overrides: dict[str, str]) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    # The complaint form is the page's largest POST form (a language switcher may come first).
    fields = dict(max(parser.forms, key=len)) if parser.forms else {}
    for name, value in overrides.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def setup(project_dir: str, settings: str) -> None:
    sys.path.insert(0, project_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def session(username: str) -> dict:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"cookie": settings.SESSION_COOKIE_NAME, "key": store.session_key}


def counting():
    from django.db import connection

    counted = [0]

    def wrapper(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper), counted


def submit(path: str, overrides: dict, gets: int) -> dict:
    from django.test import Client

    client = Client(REMOTE_ADDR="127.0.0.9")
    # One submission first: the figures are those of a warm worker (per-process caches filled).
    client.post(path, form_fields(client.get(path).content.decode(), overrides))
    wrapper, counted = counting()
    with wrapper:
        response = client.get(path)
    get_queries = counted[0]
    fields = form_fields(response.content.decode(), overrides)
    wrapper, counted = counting()
    with wrapper:
        posted = client.post(path, fields)
    post_queries = counted[0]
    client.get(path)
    started = time.process_time()
    for _ in range(gets):
        client.get(path)
    cpu_ms = (time.process_time() - started) * 1000 / max(gets, 1)
    return {
        "get_queries": get_queries,
        "post_queries": post_queries,
        "post_status": posted.status_code,
        "cpu_ms_per_get": round(cpu_ms, 2),
    }


def main() -> None:
    project_dir, settings, command, *args = sys.argv[1:]
    setup(project_dir, settings)
    if command == "session":
        result = session(args[0])
    elif command == "form":
        from django.test import Client

        html = Client(REMOTE_ADDR="127.0.0.9").get(args[0]).content.decode()
        result = {"fields": form_fields(html, json.loads(args[1]))}
    elif command == "submit":
        result = submit(args[0], json.loads(args[1]), int(args[2]) if len(args) > 2 else 50)
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
