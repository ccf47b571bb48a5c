"""Direct access to a test server's database, for the tests that must look under the
pages (the audit log's triggers, cross-unit checks): SQLite through the sqlite3 shell,
PostgreSQL through psql. Rows come back as dicts of strings (NULL as None)."""
import csv
import io
import json
import subprocess


class Db:
    def __init__(self, url):
        self.url = url
        self.engine = "postgresql" if url.startswith(("postgres:", "postgresql:")) else "sqlite"
        self.path = url[len("sqlite:"):] if url.startswith("sqlite:") else url

    def run(self, statement, check=True):
        """Runs SQL text; returns the CompletedProcess (check: assert it succeeded)."""
        if self.engine == "sqlite":
            cmd = ["sqlite3", "-batch", "-bail", "-json", "-cmd", ".timeout 10000", self.path,
                   statement]
        else:
            cmd = ["psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-d", self.url,
                   "-c", statement]
        r = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=60)
        if check:
            assert r.returncode == 0, (statement, r.stderr)
        return r

    def rows(self, statement):
        out = self.run(statement).stdout
        if self.engine == "sqlite":
            found = json.loads(out) if out.strip() else []
            return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in found]
        return [{k: (None if v == "" else v) for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(out))]

    def value(self, statement):
        found = self.rows(statement)
        return next(iter(found[0].values())) if found else None

    def drop_triggers(self, table):
        """What an attacker with write access to the database would do first."""
        if self.engine == "sqlite":
            for t in self.rows("SELECT name FROM sqlite_master WHERE type='trigger' "
                               "AND tbl_name='%s'" % table):
                self.run('DROP TRIGGER "%s"' % t["name"])
        else:
            self.run("ALTER TABLE %s DISABLE TRIGGER USER" % table)
