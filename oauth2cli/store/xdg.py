"""Where oauth2cli keeps its files, after the XDG base directory variables: the one
implementation, as strings and with nothing but os, so the lean reads (store/view.py) pay
for no pathlib; store/paths.py gives the same places as Paths."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs ~5 ms to import; the lean reads do without it
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "oauth2cli"


def base(environ: Mapping[str, str], var: str, default: str) -> str:
    """$VAR, or ~/DEFAULT when it is unset, empty or relative (XDG: a relative path is invalid
    and must be ignored)."""
    value = environ.get(var)
    if value and os.path.isabs(value):
        return value
    return os.path.join(environ.get("HOME") or os.path.expanduser("~"), default)


def config_file(environ: Mapping[str, str]) -> str:
    """$OAUTH2CLI_CONFIG, else $XDG_CONFIG_HOME/oauth2cli/config.toml."""
    if environ.get("OAUTH2CLI_CONFIG"):
        return environ["OAUTH2CLI_CONFIG"]
    return os.path.join(trusted(os.path.join(base(environ, "XDG_CONFIG_HOME", ".config"), APP)), "config.toml")


def data_dir(environ: Mapping[str, str]) -> str:
    return trusted(os.path.join(base(environ, "XDG_DATA_HOME", ".local/share"), APP))


def state_dir(environ: Mapping[str, str]) -> str:
    """Where the profile locks are (store/lock.py)."""
    return trusted(os.path.join(base(environ, "XDG_STATE_HOME", ".local/state"), APP))


def cache_dir(environ: Mapping[str, str]) -> str:
    return trusted(os.path.join(base(environ, "XDG_CACHE_HOME", ".cache"), APP))


_TRUSTED: set[str] = set()


def trusted(folder: str) -> str:
    """`folder` (an oauth2cli folder), refused as OpenSSH refuses a loose ~/.ssh when it is another
    user's or writable by group or others, or the folder holding it is neither ours nor root's or is
    writable by everyone (a sticky /tmp excepted): whoever can change what is in it could send our refresh token to their server.
    StoreError naming the folder, its owner and what to do. A folder not made yet passes."""
    if folder in _TRUSTED or not hasattr(os, "geteuid"):
        return folder
    me = os.geteuid()
    for path, own in ((folder, True), (os.path.dirname(folder), False)):
        try:
            st = os.stat(path)
        except OSError:
            continue
        # ours (made 0700) writable by group or others; the one holding it (~/.config, 0775 under
        # a umask of 002) writable by everyone, unless sticky (/tmp)
        loose = st.st_mode & 0o022 if own else st.st_mode & 0o002 and not st.st_mode & 0o1000
        if (st.st_uid != me and (own or st.st_uid != 0)) or loose:
            from oauth2cli.core.errors import StoreError

            owner = _user(st.st_uid)
            what = "writable by others" if loose and st.st_uid in (me, 0) else f"owned by {owner}"
            raise StoreError(f"refusing {path}: it is {what} (mode {st.st_mode & 0o7777:04o}, owner {owner}), "
                             "so someone else could change what oauth2 trusts there",
                             hint=f"make it yours and private: chown {_user(me)} {path} && chmod go-w {path}")
    _TRUSTED.add(folder)
    return folder


def _user(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def make_private_dirs(folder: str) -> None:
    """`folder` and every missing parent made 0700 whatever the umask (os.makedirs gives the
    parents the umask's mode). OSError when one cannot be made."""
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)


def secrets_dir(environ: Mapping[str, str]) -> str:
    """The file store's folder (store/filestore.py)."""
    return os.path.join(data_dir(environ), "secrets")


def config_memo(environ: Mapping[str, str]) -> str:
    """Where config.toml's parsed form is remembered (store/memo.py)."""
    return os.path.join(cache_dir(environ), "config.json")


def preset_memo(environ: Mapping[str, str], preset: str) -> str:
    """Where a preset file's parsed form is remembered (store/presets.py)."""
    return os.path.join(cache_dir(environ), f"preset-{preset}.json")
