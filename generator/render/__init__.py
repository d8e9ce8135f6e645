"""Render: the IR plus output settings in, `{relative path: text}` out (not yet formatted).

All computing happens in Python: type annotations, runtime descriptors, imports, signatures,
docstrings, examples. The Jinja templates (one per output file, `StrictUndefined`) only lay
out the strings of one frozen context object each. The modules of this package:

- `text`: literals (`pyrepr`), docstrings, Markdown cells, layout helpers, the header;
- `types`: every `TypeRef` projection (annotation, descriptor, docs label) and `Imports`,
  which collects the imports the rendered code uses;
- `operations`: the per-operation views the client, CLI and docs share;
- `namespaces`: with `group_by = "tag"`, each operation's namespace and method name;
- one renderer per artifact: `client` (`client.py`, `_client_*.py`, `_ops.py`), `resources`
  (with `group_by = "tag"`: one namespace module per tag, `_resource.py`), `models`,
  `cli` (`_cli.py`, `__main__.py`), `docs` (README, `docs/`), `package` (`__init__.py`,
  `py.typed`, `pyproject.toml`, the runtime modules).
"""

from __future__ import annotations

from dataclasses import replace

from generator.cache import Memo, key_of
from generator.model import Api
from generator.render import cli, client, docs, models, operations, package, resources
from generator.render.common import Keys, Settings
from generator.render.package import STATIC_FILES
from generator.render.text import docstring, header, pyrepr

__all__ = ["STATIC_FILES", "Settings", "docstring", "pyrepr", "render"]


def render(
    api: Api,
    settings: Settings,
    memo: Memo | None = None,
    digest: list[str] | None = None,
    blind_key: str | None = None,
) -> dict[str, str]:
    """Every output file, keyed by its path relative to the output folder.

    `memo`: texts of earlier runs by a content key of exactly what each is made from (the model
    modules, the client's group modules, the docs pages); the result is the same with or
    without it. `digest` (with a memo) receives one key of all the models and enums, made
    from those keys (the pipeline memoizes most of the API surface by it). `blind_key`: a key
    that stands for all of `api` but its operations' `summary` and `description`: the files
    that show neither are recalled whole by it (the model modules, `_ops.py`, `client.py`)."""
    # no file shows the spec's sha256 (the manifest holds it): blanked, so that the memo keys
    # that include the settings do not change with every edit of the spec
    settings = replace(settings, spec_sha256="")
    views = operations.build(api, settings.pagination)
    py = header(settings)
    out: dict[str, str] = {}
    # each view keyed once (pickling is most of a memo's cost), the models by their modules
    keys = None
    if memo is not None:
        blind = None if blind_key is None else key_of("blind", blind_key, settings)
        keys = Keys({id(v): _view_key(v, memo, blind) for v in views}, blind=blind)
    model_keys, blind = (keys.models, keys.blind) if keys is not None else (None, None)
    out.update(models.render(api, settings, py, memo, model_keys, blind))
    out.update(client.render(api, settings, views, py, memo, keys))
    out.update(resources.render(api, settings, views, py))
    out.update(package.render(api, settings, py, memo, blind))
    out.update(cli.render(api, settings, views, py, memo, keys))
    out.update(docs.render(api, settings, views, header(settings, "md"), memo, keys))
    if keys is not None and digest is not None:
        digest.append(key_of("models", keys.models))
    return out


def _view_key(view: operations.OpView, memo: Memo, blind: str | None) -> str:
    """The memo key of an operation's view: its pickle's. With `blind` (a key of the API but
    its operations' texts, and of the settings), the pickle's key is looked up in `memo` by
    the operation's name and texts beside `blind` (a view is made from its operation, the
    enums and the settings alone), and only made when it is not there. Keys stay those of
    the views, so a schema's edit (a new `blind`) misses only the texts that show it."""
    if blind is None:
        return key_of(view)
    alias = key_of("view", blind, view.op.name, view.op.summary, view.op.description)
    known = memo.get(alias)
    return known if known is not None else memo.put(alias, key_of(view))
