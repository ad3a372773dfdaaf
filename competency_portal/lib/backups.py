"""Backing up and restoring the whole database, for `manage.py backup` and `manage.py restore`.

PostgreSQL goes through `pg_dump --format=custom` and `pg_restore --single-transaction` (the
connection from the settings, the password in PGPASSWORD, never on a command line); SQLite
through its online backup API, which copies a consistent snapshot while the portal runs and
writes the restored pages in one transaction. A backup is written to a temporary file beside
the target and renamed at the end; a restore that fails leaves the database as it was. Every
refusal is a `BackupError` whose message is for the operator (in Thai).
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
ENGINES = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}  # the first bytes of a file
# libpq's environment variables for the connection OPTIONS the settings may hold
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
# A table in `pg_restore --list`: "215; 1259 16386 TABLE public auth_group postgres"
PG_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")


class BackupError(Exception):
    """The backup or restore was refused or failed; the database and the files are as they
    were. The message says why, for the operator."""


@dataclass(frozen=True)
class BackupFile:
    """What a backup file holds, read without restoring it."""

    path: Path
    kind: str  # SQLITE or POSTGRESQL
    size: int
    tables: tuple  # table names
    migrations: frozenset  # {(app, name)} applied in the backed-up database


@dataclass(frozen=True)
class Restored:
    """The outcome of a restore: the file restored, the code's migrations it predates (to
    apply with `migrate`), and the tables the backup lacked (removed)."""

    backup: BackupFile
    pending: tuple = ()
    removed: tuple = ()


def database_kind(using="default"):
    """SQLITE or POSTGRESQL for the database `using`; another engine is refused."""
    vendor = connections[using].vendor
    if vendor not in ENGINES:
        raise BackupError(
            _("The database engine %(engine)s is not supported; only SQLite and PostgreSQL are.")
            % {"engine": vendor}
        )
    return ENGINES[vendor]


# ------------------------------------------------------------------------------- backing up


def backup(*, output, force=False, using="default"):
    """Write the whole database `using` to `output` and return what the file holds. An
    existing file is kept unless `force`; the file appears under its name only when complete."""
    output = Path(output)
    kind = database_kind(using)
    if output.exists() and not force:
        raise BackupError(
            _("%(file)s already exists; add --force to replace it.") % {"file": output}
        )
    if "django_migrations" not in connections[using].introspection.table_names():
        raise BackupError(
            _("The database has no tables yet (run manage.py migrate): nothing to back up.")
        )
    writer = _dump_postgresql if kind == POSTGRESQL else _copy_sqlite
    write_atomically(output, lambda part: writer(part, using))
    return read_backup(output)


def write_atomically(target, write):
    """Call `write(path)` with a temporary path in the target's folder, then rename it to
    `target`. When anything fails, the temporary file is removed and `target` is untouched."""
    target = Path(target)
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as error:
        raise BackupError(
            _("Cannot write %(file)s: %(error)s") % {"file": target, "error": error.strerror}
        ) from None
    os.close(handle)
    part = Path(name)
    try:
        write(part)
        with open(part, "rb") as written:
            os.fsync(written.fileno())
        os.replace(part, target)
    except BaseException as error:
        part.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupError(
                _("Cannot write %(file)s: %(error)s") % {"file": target, "error": error.strerror}
            ) from None
        raise


def _copy_sqlite(path, using):
    """The live database, page by page, through SQLite's online backup API: a consistent
    snapshot even while the portal writes. The copy is a plain database file (no WAL)."""
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise BackupError(_("The backup failed: %(error)s") % {"error": error}) from None
    finally:
        target.close()


def _dump_postgresql(path, using):
    settings_dict = connections[using].settings_dict
    tool = _pg_tool("pg_dump", using)
    done = _run(
        tool, ["--format=custom", f"--file={path}", *_pg_connection(settings_dict)], settings_dict
    )
    if done.returncode:
        raise BackupError(_("The backup failed: %(error)s") % {"error": _reason(done)})


# ------------------------------------------------------------------------------- reading


def backup_kind(path):
    """SQLITE or POSTGRESQL by the first bytes of the file; any other file is refused."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
        ) from None
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise _not_a_backup(path)


def read_backup(path, using="default"):
    """What the backup file `path` holds (its kind, tables and applied migrations); a file
    that is not a backup of the portal's database is refused."""
    path = Path(path)
    kind = backup_kind(path)
    if kind == SQLITE:
        tables, migrations = _read_sqlite(path)
    else:
        tables, migrations = _read_postgresql(path, using)
    if "django_migrations" not in tables:
        raise _not_a_backup(path)
    size = path.stat().st_size
    return BackupFile(path, kind, size, tuple(sorted(tables)), frozenset(migrations))


def _not_a_backup(path):
    return BackupError(
        _(
            "%(file)s is not a backup of the portal's database made by manage.py backup, "
            "or it is damaged."
        )
        % {"file": path}
    )


def _open_read_only(path):
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _read_sqlite(path):
    try:
        source = _open_read_only(path)
    except sqlite3.Error:
        raise _not_a_backup(path) from None
    try:
        (check,) = source.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise _not_a_backup(path)
        tables = [
            name
            for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        migrations = []
        if "django_migrations" in tables:
            migrations = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.Error:
        raise _not_a_backup(path) from None
    finally:
        source.close()
    return tables, migrations


def _read_postgresql(path, using):
    tool = _pg_tool("pg_restore", using, check_server=False)
    done = _run(tool, ["--list", str(path)], {})
    if done.returncode:
        raise _not_a_backup(path)
    tables = {m.group(2) for m in map(PG_TABLE.match, done.stdout.splitlines()) if m}
    if "django_migrations" not in tables:
        return tables, []
    done = _run(tool, ["--data-only", "--table=django_migrations", "--file=-", str(path)], {})
    if done.returncode:
        raise _not_a_backup(path)
    return tables, _copied_rows(done.stdout, ("app", "name"))


def _copied_rows(script, columns):
    """The values of `columns` in the rows of the (one) COPY block of a SQL script."""
    rows, positions = [], None
    for line in script.splitlines():
        if positions is None:
            if line.startswith("COPY "):
                names = line.split("(", 1)[1].split(")", 1)[0].split(",")
                names = [name.strip().strip('"') for name in names]
                positions = [names.index(column) for column in columns]
        elif line == "\\.":
            break
        else:
            values = line.split("\t")
            rows.append(tuple(values[i] for i in positions))
    return rows


# ------------------------------------------------------------------------------- restoring


def check_restorable(path, using="default"):
    """The backup at `path`, checked for a restore into `using`: the same kind of database,
    and no migration the code does not know (a backup from a newer version of the portal).
    Returns the BackupFile and the code's migrations the backup predates."""
    kind, found_kind = database_kind(using), backup_kind(path)
    if found_kind != kind:
        raise BackupError(
            _(
                "%(file)s is a backup of a %(kind)s database, but this portal's database is "
                "%(engine)s: restore it into a %(kind)s database."
            )
            % {"file": path, "kind": found_kind, "engine": kind}
        )
    found = read_backup(path, using)
    known, replaced = code_migrations()
    newer = sorted(found.migrations - known - replaced)
    if newer:
        raise BackupError(
            _(
                "%(file)s comes from a newer version of the portal: the code lacks its "
                "migrations %(names)s. Update the code first; nothing was changed."
            )
            % {"file": path, "names": ", ".join(f"{app}.{name}" for app, name in newer[:5])}
        )
    pending = tuple(sorted(known - found.migrations))
    return found, pending


def code_migrations():
    """({(app, name)} of every migration in the code, {(app, name)} that squashed ones replace)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    replaced = {key for migration in loader.replacements.values() for key in migration.replaces}
    return known, replaced


def restore(*, source, using="default"):
    """Replace every table of the database `using` with those of the backup `source`, all or
    nothing. Returns a `Restored`; refused before any change when `check_restorable` says so."""
    found, pending = check_restorable(source, using)
    if found.kind == SQLITE:
        _restore_sqlite(found.path, connections[using])
        removed = ()
    else:
        removed = _restore_postgresql(found, using)
    return Restored(found, pending, removed)


def _restore_sqlite(path, connection):
    """The backup's pages copied into the live database in one step: SQLite writes them in one
    transaction (other connections wait on the lock), so a failure leaves the database as it
    was. The backup file is opened read-only and never changed."""
    source = _open_read_only(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise _restore_failed(error) from None
    finally:
        source.close()


def _restore_postgresql(found, using):
    """pg_restore in one transaction (a failure rolls back every change), then the portal's
    tables that the backup lacks are dropped (made by later migrations: `migrate` makes them
    again). Returns the names of those tables."""
    connection = connections[using]
    tool = _pg_tool("pg_restore", using)
    lacking = sorted(
        set(connection.introspection.django_table_names(only_existing=True)) - set(found.tables)
    )
    connection.close()  # hold no lock that the restore would wait for
    settings_dict = connection.settings_dict
    arguments = ["--clean", "--if-exists", "--single-transaction", "--no-owner"]
    done = _run(tool, [*arguments, *_pg_connection(settings_dict), str(found.path)], settings_dict)
    if done.returncode:
        raise _restore_failed(_reason(done))
    if lacking:
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(name) for name in lacking)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    return tuple(lacking)


def _restore_failed(error):
    return BackupError(
        _("The restore failed and the database was left as it was: %(error)s") % {"error": error}
    )


# ------------------------------------------------------------------------------- PostgreSQL tools


def _pg_tool(name, using, *, check_server=True):
    """The path of a PostgreSQL client program, refused when missing or when its major
    version is older than the server's (it would refuse the server, or lose what it lacks)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install the PostgreSQL client programs (Debian: "
                "postgresql-client) of the server's version or newer."
            )
            % {"tool": name}
        )
    if check_server:
        server = connections[using].pg_version // 10000
        client = tool_major_version(path)
        if client is not None and client < server:
            raise BackupError(
                _(
                    "%(tool)s is version %(client)d, older than the database server "
                    "(PostgreSQL %(server)d): install the client programs of version "
                    "%(server)d or newer."
                )
                % {"tool": name, "client": client, "server": server}
            )
    return path


def tool_major_version(path):
    """The major version of a PostgreSQL program ("pg_dump (PostgreSQL) 15.20" → 15)."""
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"\)\s*(\d+)", done.stdout)
    return int(match.group(1)) if match else None


def _pg_connection(settings_dict):
    """The command-line options naming the database (never its password)."""
    options = ["--no-password", f"--dbname={settings_dict['NAME']}"]
    if settings_dict.get("HOST"):
        options.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        options.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        options.append(f"--username={settings_dict['USER']}")
    return options


def _pg_environment(settings_dict):
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in PG_OPTIONS.items():
        value = settings_dict.get("OPTIONS", {}).get(option)
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(tool, arguments, settings_dict):
    """Run a PostgreSQL program with the connection's environment; its CompletedProcess."""
    try:
        return subprocess.run(
            [tool, *arguments],
            env=_pg_environment(settings_dict),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
    except OSError as error:
        return subprocess.CompletedProcess([tool], 1, "", error.strerror or str(error))


def _reason(done):
    """What a failed program said: its first error line and the two after it (the detail and
    the statement), or its exit status."""
    lines = [line.strip() for line in done.stderr.strip().splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if "error:" in line), max(len(lines) - 3, 0))
    return (
        " / ".join(lines[first : first + 3]) or f"{Path(done.args[0]).name}: exit {done.returncode}"
    )
