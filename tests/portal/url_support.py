"""Every URL pattern of a URLconf as a concrete path, path converters filled with sample values.

The second-factor and scope tests list URLs from here, never from a list of their own: a page
added to the URLconf is in the next run of those tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# Sample values tried for a path parameter, in order; the first the pattern accepts is used.
# Tests may put real values first (a real report id, a dashboard table) with `samples=`.
SAMPLE_VALUES = ("1", "contoh", "2026-10", "35.04.01.2001", "PMI-AAAA-BBBB")
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_UNNAMED_GROUP = re.compile(r"\((?!\?)(?P<regex>[^()]*)\)")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>(?:[^()]|\([^()]*\))*)\)")


@dataclass(frozen=True)
class UrlEntry:
    path: str  # a concrete path, e.g. /staf/laporan/1/
    route: str  # the pattern as written, e.g. staf/laporan/<int:report_id>/
    name: str  # namespaced URL name, or "" when the pattern has none


def _fill_route(route: str, samples: dict[str, str]) -> list[str]:
    """Candidate paths for a RoutePattern; several when a sample must be tried."""
    names = [match["name"] for match in _CONVERTER.finditer(route)]
    if not names:
        return [route]
    candidates = []
    for value in (None, *SAMPLE_VALUES):

        def fill(match, value=value):
            name = match["name"]
            return samples.get(name) or value or SAMPLE_VALUES[0]

        candidates.append(_CONVERTER.sub(fill, route))
    return candidates


def _fill_regex(regex: str, samples: dict[str, str]) -> list[str]:
    body = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def fill(match):
        name, inner = match["name"], match["regex"]
        options = [samples[name]] if name in samples else []
        options += [inner.split("|")[0].strip("()")] if "|" in inner else []
        options += list(SAMPLE_VALUES)
        for option in options:
            if re.fullmatch(inner, option):
                return option
        return SAMPLE_VALUES[0]

    filled = _GROUP.sub(fill, body)
    filled = _UNNAMED_GROUP.sub(
        lambda match: next(
            (v for v in SAMPLE_VALUES if re.fullmatch(match["regex"], v)), SAMPLE_VALUES[0]
        ),
        filled,
    )
    # What remains of the regex in Django's own patterns: escaped dots and optional slashes.
    filled = filled.replace("\\.", ".").replace("/?", "/")
    return [filled]


def _walk(patterns, prefix_options, namespace, samples):
    for pattern in patterns:
        if isinstance(pattern.pattern, RoutePattern):
            options = _fill_route(str(pattern.pattern), samples)
        elif isinstance(pattern.pattern, RegexPattern):
            options = _fill_regex(pattern.pattern.regex.pattern, samples)
        else:  # LocalePrefixPattern or another kind: not used here
            options = [str(pattern.pattern)]
        if isinstance(pattern, URLResolver):
            inner_namespace = namespace
            if pattern.namespace:
                inner_namespace = (
                    f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                )
            yield from _walk(
                pattern.url_patterns,
                [p + o for p in prefix_options for o in options],
                inner_namespace,
                samples,
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            full_name = f"{namespace}:{name}" if namespace and name else name
            route = prefix_options[0] + str(pattern.pattern)
            yield route, full_name, pattern, [p + o for p in prefix_options for o in options]


def url_entries(urlconf=None, samples: dict[str, str] | None = None) -> list[UrlEntry]:
    """Every URL pattern of the URLconf with a concrete path that resolves back to it.

    A pattern for which no sample works is returned with path "" so a test fails on it and names
    it (add a sample value here) rather than skipping it silently.
    """
    samples = samples or {}
    entries = []
    for route, name, pattern, options in _walk(
        get_resolver(urlconf).url_patterns, [""], "", samples
    ):
        path = ""
        for option in options:
            candidate = "/" + option
            try:
                match = resolve(candidate, urlconf)
            except Exception:  # noqa: S112 - the next sample is tried
                continue
            if match.func is pattern.callback or match.route.endswith(str(pattern.pattern)):
                path = candidate
                break
        entries.append(UrlEntry(path=path, route=route, name=name))
    return entries
