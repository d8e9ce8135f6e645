"""Shell completion for the CLI: `--completion bash|zsh|fish` prints a script built from the
command tree (the parser `build_parser` made), completing command words and each command's
flags. Load it with `eval "$(prog --completion bash)"` (zsh: the same with `zsh`), or for
fish `prog --completion fish | source`.
"""

from __future__ import annotations

import argparse
import re

SHELLS = ("bash", "zsh", "fish")


def _tree(parser: argparse.ArgumentParser) -> dict[str, tuple[list[str], list[str]]]:
    """Each command path ("" for the program, "create team", ...) -> (sub-command words, flags)."""
    out: dict[str, tuple[list[str], list[str]]] = {}

    def walk(path: str, node: argparse.ArgumentParser) -> None:
        children: list[str] = []
        flags: list[str] = []
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                for word, sub in action.choices.items():
                    children.append(word)
                    walk(f"{path} {word}".strip(), sub)
            elif action.help != argparse.SUPPRESS:
                flags += [o for o in action.option_strings if o.startswith("--")]
        out[path] = (children, flags)

    walk("", parser)
    return out


def _name(prog: str) -> str:
    """The command completion registers for, and a shell-safe identifier from it."""
    return prog.split()[-1]


def _ident(prog: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", _name(prog))


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    tree = _tree(parser)
    prog = parser.prog
    if shell == "fish":
        return _fish(tree, prog)
    text = _bash(tree, prog)
    if shell == "zsh":
        return "autoload -U +X bashcompinit && bashcompinit\n" + text
    return text


def _quote(words: list[str]) -> str:
    return " ".join(w for w in words if re.fullmatch(r"[A-Za-z0-9_.:=+-]+", w))


def _bash(tree: dict[str, tuple[list[str], list[str]]], prog: str) -> str:
    fn = "_" + _ident(prog)
    children = "\n".join(
        f'        "{path}") echo "{_quote(words)}" ;;'
        for path, (words, _) in tree.items()
        if words
    )
    flags = "\n".join(
        f'        "{path}") echo "{_quote(words)}" ;;'
        for path, (_, words) in tree.items()
    )
    return f"""# {_name(prog)} completion (bash)
{fn}_children() {{
    case "$1" in
{children}
    esac
}}
{fn}_flags() {{
    case "$1" in
{flags}
    esac
}}
{fn}_complete() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" path="" w i
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        case " $({fn}_children "$path") " in
            *" $w "*) path="${{path:+$path }}$w" ;;
        esac
    done
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$({fn}_flags "$path")" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$({fn}_children "$path")" -- "$cur"))
    fi
}}
complete -o default -F {fn}_complete {_name(prog)}
"""


def _fish(tree: dict[str, tuple[list[str], list[str]]], prog: str) -> str:
    fn = "__" + _ident(prog) + "_at"
    name = _name(prog)
    lines = [
        f"# {name} completion (fish)",
        f"function {fn}",
        "    set -l words (commandline -opc)[2..-1]",
        "    test (string join ' ' -- (string match -v -- '-*' $words)) = \"$argv[1]\"",
        "end",
    ]
    for path, (words, flags) in tree.items():
        if words:
            lines.append(
                f"complete -c {name} -f -n '{fn} \"{path}\"' -a '{_quote(words)}'"
            )
        for flag in flags:
            if re.fullmatch(r"--[A-Za-z0-9_-]+", flag):
                lines.append(f"complete -c {name} -n '{fn} \"{path}\"' -l '{flag[2:]}'")
    return "\n".join(lines) + "\n"
