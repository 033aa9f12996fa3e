"""Tree arithmetic on materialised paths, written once: every app asks these (or the territory
model's methods and queryset, which use them) instead of slicing paths itself.

A path is every ancestor's code and the node's own, each followed by "/" ("MA/01/011/"), so "at or
below X" is a prefix match and a node's depth is its number of separators less one. Pure functions,
no Django: the scope gate (`abwab.core.scope`) uses them before the apps are loaded.
"""

PATH_SEPARATOR = "/"
PROVINCE_DEPTH = 2  # Level.PROVINCE: provinces and prefectures sit at depth 2 of the tree


def path_codes(path: str) -> list[str]:
    """The codes along a path, from the nation down to the node itself."""
    return path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR) if path else []


def path_depth(path: str) -> int:
    """The node's depth in the tree (the nation is 0), read from its path."""
    return path.count(PATH_SEPARATOR) - 1


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    """The paths of a node's ancestors from the nation down (and its own, last, by default)."""
    codes = path_codes(path)
    stop = len(codes) if include_self else len(codes) - 1
    return [PATH_SEPARATOR.join(codes[: i + 1]) + PATH_SEPARATOR for i in range(stop)]


def path_at_depth(path: str, depth: int) -> str:
    """The path of the node's ancestor at `depth` (the node itself when it is that deep or less)."""
    return PATH_SEPARATOR.join(path_codes(path)[: depth + 1]) + PATH_SEPARATOR


def province_path(path: str) -> str:
    """The path of the node's province or prefecture: the node itself at or above one."""
    return path_at_depth(path, PROVINCE_DEPTH)


def is_below(path: str, top: str, *, strictly: bool = False) -> bool:
    """Whether the node at `path` is at (unless `strictly`) or below the node at `top`."""
    return path.startswith(top) and not (strictly and path == top)


def common_path(paths) -> str:
    """The path of the lowest common ancestor of nodes given by their paths ("" for none)."""
    paths = list(paths)
    if not paths:
        return ""
    common = path_codes(paths[0])
    for path in paths[1:]:
        codes = path_codes(path)
        size = 0
        while size < min(len(common), len(codes)) and common[size] == codes[size]:
            size += 1
        common = common[:size]
    return PATH_SEPARATOR.join(common) + PATH_SEPARATOR if common else ""
