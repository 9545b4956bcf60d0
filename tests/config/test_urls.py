import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Beyond what a 64-bit key holds: 19 digits that overflow it, and 20 that never match.
TOO_LARGE = ["9223372036854775808", "99999999999999999999"]


def routes(patterns=None, prefix=""):
    """Every route of the URLconf, written out whole."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and not entry.lookup_str.startswith("allauth."):
            # allauth's own URLs are its to name; their lookups are its own.
            yield route


def filled(route: str, id_value: str) -> str:
    """The route with every id set to `id_value` and every other part to a plausible word."""
    parts = []
    for chunk in route.split("<"):
        if ">" in chunk:
            converter, rest = chunk.split(">", 1)
            parts.append((id_value if converter.startswith("id:") else "pre") + rest)
        else:
            parts.append(chunk)
    return "/" + "".join(parts)


ROUTES = sorted({route for route in routes() if "<id:" in route})


def test_every_app_names_its_ids_with_the_id_converter():
    assert not [route for route in routes() if "<int:" in route]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("id_value", TOO_LARGE)
def test_an_id_too_large_for_the_database_answers_404(platform_admin_client, route, id_value):
    url = filled(route, id_value)
    assert platform_admin_client.get(url).status_code == 404, url
    assert platform_admin_client.post(url).status_code == 404, url
