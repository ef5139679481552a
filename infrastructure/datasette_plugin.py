"""stratlog's Datasette plugin: a page per view at /-/stratlog/VIEW (and VIEW.json), answered by stratlog's queries."""

from __future__ import annotations

import asyncio
from typing import Any

from datasette import hookimpl
from datasette.version import __version__
from datasette.utils.asgi import Response

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure import datasette_pages as pages
from stratlog.infrastructure.datasette_templates import GRID, INDEX, PAGE
from stratlog.infrastructure.query_access import open_snapshot_queries

PLUGIN = "stratlog"
READ_ONLY = "stratlog serve is read-only: only GET requests are answered"

@hookimpl
def register_routes(datasette):
    """/-/stratlog (the list of views) and /-/stratlog/VIEW[.json]."""
    views = "|".join(pages.VIEWS)
    return [(r"^/-/stratlog/?$", stratlog_index),
            (rf"^/-/stratlog/(?P<view>{views})(?P<format>\.json)?$", stratlog_view)]


@hookimpl
def asgi_wrapper(datasette):
    """Read-only for the whole server: any method but GET and HEAD is refused before Datasette sees it."""
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
                await Response.text(READ_ONLY, status=405, headers={"Allow": "GET, HEAD"}).asgi_send(send)
                return
            await app(scope, receive, send)
        return read_only
    return wrap


@hookimpl
def menu_links(datasette, actor, request):
    """Each view in Datasette's navigation menu."""
    return [{"href": datasette.urls.path(f"/-/stratlog/{view}"), "label": f"stratlog {view}"} for view in pages.VIEWS]


async def stratlog_index(datasette, request) -> Response:
    """The list of views."""
    template = datasette.jinja_env.from_string(INDEX)
    context = {"views": list(pages.TITLES.items()), "note": _note(datasette), "datasette_version": __version__}
    return Response.html(await datasette.render_template(template, context, request=request))


async def stratlog_view(datasette, request) -> Response:
    """One view's form and answer (HTML), or its answer alone (.json): 400 with the CLI's message for bad input."""
    view, as_json = request.url_vars["view"], bool(request.url_vars.get("format"))
    form = {name: request.args.get(name) for name in request.args.keys()}
    answering = as_json or pages.ready_to_answer(view, form)
    snapshot = datasette.plugin_config(PLUGIN)["snapshot"]
    data, error, brands = await asyncio.to_thread(_ask, snapshot, view, form, answering)
    status = 400 if error else 200
    if as_json:
        if error:
            return Response.json({"ok": False, "error": error, "status": 400}, status=400)
        return Response(pages.json_text(data), status=200, content_type="application/json; charset=utf-8")
    body = await datasette.render_template(_page(datasette), _context(datasette, request, view, form, data, error,
                                                                       brands), request=request)
    return Response.html(body, status=status)


def _ask(snapshot: str, view: str, form: dict, answering: bool) -> tuple[Any, str | None, list[str]]:
    """Runs in a worker thread: the answer (or the refusal's message) and the brands for the form."""
    queries, close = open_snapshot_queries(snapshot)
    try:
        brands = queries.brands(None)
        if not answering:
            return None, None, brands
        try:
            return pages.answer(queries, view, form), None, brands
        except StratlogError as error:
            return None, str(error), brands
    finally:
        close()


def _page(datasette):
    return datasette.jinja_env.from_string(GRID + PAGE)


def _context(datasette, request, view: str, form: dict, data: Any, error: str | None, brands: list[str]) -> dict:
    query = request.query_string
    context = {
        "view": view, "title": pages.TITLES[view], "views": pages.VIEWS, "brands": brands, "error": error,
        "fields": [(field, form.get(field.name)) for field in pages.FIELDS[view]], "note": _note(datasette),
        "json_url": datasette.urls.path(f"/-/stratlog/{view}.json") + (f"?{query}" if query else ""),
        "empty": pages.EMPTY.get(view, ""), "single": None, "tables": [], "table": None,
        "datasette_version": __version__,
    }
    if isinstance(data, dict):
        single, tables = pages.state_sections(data)
        context.update(single=single, tables=[(key, _table(rows)) for key, rows in tables.items()])
    elif data is not None:
        context["table"] = _table(data)
    return context


def _table(rows: list[dict]) -> dict:
    columns = pages.columns_of(rows)
    return {"columns": columns, "cells": pages.cells_of(rows, columns)}


def _note(datasette) -> str:
    config = datasette.plugin_config(PLUGIN)
    return (f"Answers from a snapshot of {config['source']} taken at {config['taken_at']} "
            f"({config['statements']} statements); restart stratlog serve to see statements recorded since.")
