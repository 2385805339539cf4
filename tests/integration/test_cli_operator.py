# SPDX-License-Identifier: AGPL-3.0-or-later
"""The operator's command line as a newcomer meets it (README.md "Subcommands"): every wrong
input answers one line on stderr naming what is wrong (the usage after it where it helps), exit
2 for usage errors and 1 for failures, nothing written, never libpq's several lines, a JSON log
line, or the URL's password. No server: the commands work on the database and the secrets."""

import os
import shutil
import socket
import subprocess
import tempfile
import unittest

import claims_fixtures as cf
import harness

UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"
INCIDENT = ["--controller", "C", "--title", "T", "--affected", "1", "--categories", "email",
            "--currency", "EUR"]
ASSOCIATION = ["--approval-reference", "R", "--approved-from", "2024-01-01", "--country", "FR"]


class CliBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.ensure_migrated(os.environ["DATABASE_URL"])
        cls.tmp = tempfile.mkdtemp(prefix="recours-cli-")
        cls.secrets = os.path.join(cls.tmp, "secrets")
        # the file's database's own keys: a serve started here meets the events and claims
        # another class wrote with its keys, whatever order the classes run in
        harness.seed_database_secrets(cls.secrets, os.environ["DATABASE_URL"])
        run = subprocess.run([harness.recours_bin(), "secrets", "init", "--secrets-dir",
                              cls.secrets], capture_output=True, text=True,
                             timeout=harness.RUN_TIMEOUT_S)
        if run.returncode != 0:
            raise RuntimeError(run.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cli(self, *args, **env_changes):
        env = dict(os.environ, RECOURS_SECRETS_DIR=self.secrets)
        for k, v in env_changes.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return subprocess.run([harness.recours_bin()] + list(args), env=env, cwd=self.tmp,
                              capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)

    def assert_refused(self, run, status, *words):
        """status, nothing on stdout, a first line on stderr "<cmd>: …" holding every word, and
        no JSON log line or libpq hint line."""
        self.assertEqual(run.returncode, status, run.stdout + run.stderr)
        self.assertEqual(run.stdout, "")
        lines = run.stderr.splitlines()
        self.assertTrue(lines, "nothing said on stderr")
        for word in words:
            self.assertIn(word, lines[0])
        self.assertNotIn('{"ts"', run.stderr)
        self.assertFalse(any(line.startswith("\t") for line in lines), run.stderr)
        return lines


class UsageTest(CliBase):
    def test_incident_add_names_the_wrong_input_and_writes_nothing(self):
        """A bad slug, a blank or too long or control-character text and a future date reached
        the database's constraints: exit 1, a JSON log line and "see the database log"; a flag
        without its value showed the bare usage, or called the next flag's value an unknown
        option; a missing flag showed the usage without naming it; a repeated one was taken."""
        slug = "cli-" + cf.suffix(8).lower()
        good = ["incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03"] + INCIDENT
        cases = [
            (["incident", "add", "--slug", "Bad Slug", "--disclosed-on", "2025-02-03"] + INCIDENT,
             "--slug"),
            (["incident", "add", "--slug", "ab", "--disclosed-on", "2025-02-03"] + INCIDENT,
             "--slug"),
            (good + ["--controller", "x"], "--controller is given twice"),
            (good[:4] + ["--disclosed-on", "2025-02-30"] + INCIDENT, "--disclosed-on"),
            (good[:4] + ["--disclosed-on", "2999-01-01"] + INCIDENT, "future"),
            (good[:4] + INCIDENT + ["--disclosed-on"], "--disclosed-on needs a value"),
            (good[:4] + ["--title", "--disclosed-on", "2025-02-03"] + INCIDENT[:2] +
             INCIDENT[4:], "--title needs a value"),
            (good[:4] + INCIDENT, "--disclosed-on is required"),
            (good + ["--colour", "red"], "unknown option --colour"),
        ]
        cases += [
            (["incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03", "--controller",
              " ", "--title", "T", "--affected", "1", "--categories", "email", "--currency",
              "EUR"], "--controller"),
            (["incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03", "--controller",
              "a\tb", "--title", "T", "--affected", "1", "--categories", "email", "--currency",
              "EUR"], "control characters"),
            (["incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03", "--controller",
              "C", "--title", "x" * 301, "--affected", "1", "--categories", "email",
              "--currency", "EUR"], "--title"),
            (["incident", "close", "Bad Slug"], "slug"),
            (["incident", "close"], "close takes one argument"),
            (["incident", "frob"], "'frob'"),
            (["incident"], "subcommand"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, "incident: ", word)
        self.assertEqual(cf.psql(f"SELECT count(*) FROM incidents WHERE slug = '{slug}'"),
                         [["0"]])
        run = self.cli(*good)
        self.assertEqual((run.returncode, run.stdout), (0, f"incident {slug} added\n"),
                         run.stderr)
        self.assert_refused(self.cli(*good), 1, f"incident: {slug} already exists")
        self.assert_refused(self.cli("incident", "close", "no-such-incident"), 1,
                            "no incident no-such-incident")

    def test_association_and_key_refuse_text_the_database_would(self):
        """Invalid UTF-8 in a name reached the database (exit 1, a JSON log line); a C1 control
        character, which the API refuses, was stored."""
        for name in (b"a\xffb", "a\u0085b".encode()):
            with self.subTest(name=name):
                run = subprocess.run([harness.recours_bin(), "association", "add", "--name",
                                      os.fsdecode(name)] + ASSOCIATION,
                                     env=dict(os.environ, RECOURS_SECRETS_DIR=self.secrets),
                                     capture_output=True, timeout=harness.RUN_TIMEOUT_S)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertEqual(run.stderr.decode().count("\n"), 1, run.stderr)
                self.assertIn("association: --name", run.stderr.decode())
        cases = [
            (["association", "add"] + ASSOCIATION, "--name is required"),
            (["association", "add", "--name", "--country", "FR"], "--name needs a value"),
            (["association", "approve"], "approve takes one argument"),
            (["association", "frob"], "'frob'"),
            (["key", "frob"], "'frob'"),
            (["key", "revoke"], "revoke takes one argument"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, word)

    def test_eligibility_and_audit_say_what_is_wrong(self):
        """Every usage error of `eligibility` printed the bare usage, whatever was wrong; `audit
        verify --head` without its value too."""
        cases = [
            (["eligibility", "kit", "--incident", "coupang-2025"], "--out"),
            (["eligibility", "kit"], "--incident is required"),
            (["eligibility", "kit", "--incident"], "--incident needs a value"),
            (["eligibility", "recompute", "--incident", "Bad Slug"], "--incident"),
            (["eligibility", "import", "--incident", "coupang-2025"], "FILE"),
            (["eligibility", "import", "--incident", "coupang-2025", "a", "b"], "'b'"),
            (["eligibility", "import", "--incident", "coupang-2025", "--batch", "0", "f"],
             "--batch"),
            (["eligibility", "import", "--incident", "coupang-2025",
              "--max-malformed-share", "2", "f"], "--max-malformed-share"),
            (["eligibility", "import", "--incident", "coupang-2025", "--frob", "1", "f"],
             "--frob"),
            (["eligibility", "frob"], "'frob'"),
            (["audit", "verify", "--head"], "--head needs a value"),
            (["audit", "frob"], "'frob'"),
            (["audit", "head", "x"], "head takes no argument"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, args[0] + ": ", word)

    def test_help_after_any_subcommand_or_option(self):
        """`--help` after a subcommand was read as an option, an id or a slug (exit 1 or 2, or
        `incident close --help` looked for an incident named --help); `secrets --help` and
        `secrets` alone said "unknown command 'secrets'"; `routes --help` listed the routes."""
        for args in (["incident", "add", "--help"], ["incident", "close", "--help"],
                     ["incident", "add", "--slug", "x", "-h"], ["association", "add", "--help"],
                     ["association", "approve", "--help"], ["key", "issue", "--help"],
                     ["key", "revoke", "--help"], ["audit", "head", "--help"],
                     ["audit", "verify", "--help"], ["eligibility", "kit", "--help"],
                     ["eligibility", "recompute", "--incident", "x", "--help"],
                     ["routes", "--help"], ["version", "--help"]):
            for url in (os.environ["DATABASE_URL"], None):
                with self.subTest(args=args, database=url is not None):
                    run = self.cli(*args, DATABASE_URL=url)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    self.assertTrue(run.stdout.startswith(f"usage: recours {args[0]}"),
                                    run.stdout)
        run = self.cli("secrets", "--help")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("--secrets-dir", run.stdout)
        for args in (["secrets"], ["secrets", "frob"]):
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, "secrets init")
        for args in (["routes", "x"], ["version", "x"]):
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, "takes no argument")


class DatabaseTest(CliBase):
    COMMANDS = [["incident", "close", "coupang-2025"],
                ["association", "approve", UNKNOWN_UUID],
                ["key", "revoke", UNKNOWN_UUID],
                ["audit", "head"],
                ["audit", "verify"],
                ["eligibility", "recompute", "--incident", "coupang-2025"],
                ["erase-withdrawn"]]

    def test_no_database_url_is_a_usage_error_everywhere(self):
        """migrate, erase-withdrawn and rotate-data-key exited 1 where the operator commands
        exit 2, each with its own sentence."""
        for args in self.COMMANDS + [["migrate"], ["rotate-data-key"]]:
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args, DATABASE_URL=None), 2, "set DATABASE_URL")

    def test_an_unreachable_database_is_one_line(self):
        """libpq's message came raw, on two lines (its hint tab-indented), without the
        command's name, and was followed by "could not use the database (is it migrated?)"."""
        url = f"postgresql://nobody:pw@127.0.0.1:{harness.free_port()}/nothing"
        for args in self.COMMANDS + [["migrate", "--migrations-dir", harness.migrations_dir()]]:
            with self.subTest(args=args):
                lines = self.assert_refused(self.cli(*args, DATABASE_URL=url), 1,
                                            "could not connect to the database",
                                            "Connection refused")
                self.assertEqual(len(lines), 1, lines)
                self.assertTrue(lines[0].startswith(args[0] + ": "), lines)

    def test_a_server_that_never_answers_is_given_up_on(self):
        """`migrate` connected without a timeout: a host that took the connection and never
        answered (a wrong port, a firewall) held it for ever. Every command now gives up after
        --db-connect-timeout (RECOURS_DB_CONNECT_TIMEOUT), the operator commands included."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as mute:
            mute.bind(("127.0.0.1", 0))
            mute.listen(16)  # the kernel completes the handshakes; nobody ever speaks
            url = f"postgresql://nobody:pw@127.0.0.1:{mute.getsockname()[1]}/nothing"
            for args in (["migrate", "--migrations-dir", harness.migrations_dir()],
                         ["audit", "head"]):
                with self.subTest(args=args):
                    run = self.cli(*args, DATABASE_URL=url, RECOURS_DB_CONNECT_TIMEOUT="1")
                    lines = self.assert_refused(run, 1, "could not connect", "timeout")
                    self.assertEqual(len(lines), 1, lines)

    def test_a_malformed_url_does_not_show_its_password(self):
        """libpq's "invalid percent-encoded token" quoted the password."""
        url = "postgresql://u:s3cr%zzet@localhost/db"
        for args in self.COMMANDS + [["migrate", "--migrations-dir", harness.migrations_dir()]]:
            with self.subTest(args=args):
                lines = self.assert_refused(self.cli(*args, DATABASE_URL=url), 1, "malformed")
                self.assertEqual(len(lines), 1, lines)
                self.assertNotIn("s3cr", lines[0])

    def test_a_database_not_migrated_says_run_migrate(self):
        """A JSON log line per command ("could not prepare …: 42P01"), then "is it migrated?"
        (or nothing at all: `incident`)."""
        url = cf.new_database("recours_t_cli_empty_", self.addCleanup)
        for args in self.COMMANDS:
            with self.subTest(args=args):
                lines = self.assert_refused(self.cli(*args, DATABASE_URL=url), 1,
                                            "run recours migrate")
                self.assertEqual(len(lines), 1, lines)

    def test_rotate_adds_no_key_when_the_database_is_out_of_reach(self):
        """The key was appended to data-keys before the database was tried: each attempt on a
        database out of reach left one more key that no row used."""
        secrets = os.path.join(self.tmp, "rotate-secrets")
        shutil.copytree(self.secrets, secrets)
        with open(os.path.join(secrets, "data-keys"), encoding="ascii") as f:
            before = f.read()
        url = f"postgresql://nobody:pw@127.0.0.1:{harness.free_port()}/nothing"
        run = self.cli("rotate-data-key", DATABASE_URL=url, RECOURS_SECRETS_DIR=secrets)
        self.assert_refused(run, 1, "rotate: could not connect")
        with open(os.path.join(secrets, "data-keys"), encoding="ascii") as f:
            self.assertEqual(f.read(), before)

    def test_unreadable_secrets_say_which_directory(self):
        for args in (["incident", "close", "coupang-2025"], ["key", "issue", "--operator"],
                     ["audit", "verify"], ["erase-withdrawn"]):
            with self.subTest(args=args):
                run = self.cli(*args, RECOURS_SECRETS_DIR=os.path.join(self.tmp, "none"))
                self.assertEqual(run.returncode, 1, run.stderr)
                self.assertIn(f"{args[0]}: could not read the secrets in", run.stderr)
                self.assertIn("RECOURS_SECRETS_DIR", run.stderr)


class WriteTest(CliBase):
    """What the commands write is what the API would write from the same texts."""

    def test_texts_are_trimmed_as_the_api_trims_them(self):
        """The API trims its text members of JSON's white space (http/json_fields.c) before
        checking them; the command line stored " T " as given, and refused "T\t" (a control
        character) that the API takes as "T"."""
        slug = "cli-" + cf.suffix(8).lower()
        run = self.cli("incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03",
                       "--controller", " \tC\n", "--title", "  T  ", "--affected", "1",
                       "--categories", "email", "--currency", "EUR",
                       "--authority-reference", "A\r ")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(cf.psql("SELECT controller, title, authority_reference FROM incidents "
                                 f"WHERE slug = '{slug}'"), [["C", "T", "A"]])
        run = self.cli("association", "add", "--name", "  N\t", "--approval-reference",
                       "\nR ", "--approved-from", "2024-01-01", "--country", "FR")
        self.assertEqual(run.returncode, 0, run.stderr)
        assoc = run.stdout.split()[1]
        self.assertEqual(cf.psql("SELECT name, approval_reference FROM associations "
                                 f"WHERE id = '{assoc}'"), [["N", "R"]])
        run = self.cli("key", "issue", "--association", assoc, "--label", " L ")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(cf.psql(f"SELECT label FROM api_keys WHERE association_id = '{assoc}'"),
                         [["L"]])
        for args in (["association", "add", "--name", " \t "] + ASSOCIATION,
                     ["key", "issue", "--operator", "--label", "\n"]):
            with self.subTest(args=args):
                self.assert_refused(self.cli(*args), 2, "must have 1 to 200 characters")

    def test_a_key_of_an_association_that_may_not_write_is_issued_with_a_note(self):
        """The API issues a key to a pending or suspended association (201) and so does the
        command line; it said nothing, and the key's first write answered 409
        approval-lapsed. It now says so on stderr; an approved one's key says nothing."""
        run = self.cli("association", "add", "--name", "N", *ASSOCIATION)
        self.assertEqual(run.returncode, 0, run.stderr)
        assoc = run.stdout.split()[1]
        for change, status in ((None, "pending"), ("suspend", "suspended"),
                               ("approve", None)):
            if change is not None:
                ran = self.cli("association", change, assoc)
                self.assertEqual(ran.returncode, 0, ran.stderr)
            with self.subTest(status=status):
                run = self.cli("key", "issue", "--association", assoc)
                self.assertEqual(run.returncode, 0, run.stderr)
                self.assertIn("secret (shown once", run.stdout)
                if status is None:
                    self.assertEqual(run.stderr, "")
                else:
                    self.assertEqual(run.stderr, f"key: note: association {assoc} is {status}: "
                                     "its key reads but may not write until the association "
                                     "is approved\n")


class ServeSettingsTest(CliBase):
    def test_operator_texts_are_utf8_and_printable_at_start(self):
        """An --operator-name in Latin-1 (a terminal or an env file not in UTF-8) started the
        server, which put it in every page and the From header of every message; a line break
        or an escape too. serve now refuses at start, naming the setting, before it listens."""
        cases = [
            ([b"--operator-name", b"Association Lib\xe9ration"], {}, "not valid UTF-8"),
            ([], {b"RECOURS_OPERATOR_NAME": b"Line\nBreak"}, "control character"),
            ([b"--operator-name", "C1\u0085".encode()], {}, "control character"),
            ([b"--operator-name", b"  "], {}, "blank"),
            ([b"--host-address", b"x\x1b[31m"], {}, "control character"),
        ]
        for args, env, word in cases:
            with self.subTest(args=args, env=env):
                run = subprocess.run(
                    [os.fsencode(harness.recours_bin()), b"serve", b"--port",
                     str(harness.free_port()).encode(), b"--secrets-dir",
                     os.fsencode(self.secrets)] + args,
                    env={**os.environb, **env}, cwd=self.tmp, capture_output=True,
                    timeout=harness.RUN_TIMEOUT_S)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertEqual(run.stdout, b"")
                lines = run.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                flag = "--host-address" if b"--host-address" in args else "--operator-name"
                self.assertTrue(lines[0].startswith(f"serve: {flag} "), lines)
                self.assertIn(word, lines[0])

    def test_a_relay_with_the_demonstration_addresses_is_warned_about(self):
        """With --smtp-url set, --mail-from left at recours@localhost and --public-url unset
        sent real messages from an address no relay accepts, their links to localhost; the
        start said only "messages go through the relay"."""
        with harness.Server(args=["--smtp-url", f"smtp://127.0.0.1:{harness.free_port()}",
                                  "--mail-retry-base", "3600"], migrate=False) as server:
            warned = {line["msg"].split(" ")[1] for line in server.log_lines_json()
                      if line.get("level") == "warn" and line["msg"].startswith("mail: --")}
        self.assertEqual(warned, {"--mail-from", "--public-url"})


class GuidanceTest(CliBase):
    def test_refusals_say_what_would_be_accepted(self):
        """A newcomer's first day: "--categories must list known, distinct categories" named
        none; "--currency must be an ISO 4217 code" refused "eur"; `key revoke` with the secret
        (the only thing a newcomer holds) said "KEY_ID must be a UUID"; an unknown id did not
        say which id was meant; the usages did not say that DATABASE_URL and the secrets are
        read."""
        slug = "cli-" + cf.suffix(8).lower()
        add = ["incident", "add", "--slug", slug, "--disclosed-on", "2025-02-03",
               "--controller", "C", "--title", "T", "--affected", "1"]
        self.assert_refused(self.cli(*add, "--categories", "email,frob", "--currency", "EUR"),
                            2, "--categories", "name,email,phone,postal_address")
        self.assert_refused(self.cli(*add, "--categories", "email", "--currency", "eur"), 2,
                            "--currency", "in capitals")
        self.assert_refused(self.cli("key", "revoke", "rk_abcdefgh"), 2, "KEY_ID",
                            "not its secret")
        self.assert_refused(self.cli("key", "revoke", UNKNOWN_UUID), 1, "no key with this id",
                            "recours key issue")
        self.assert_refused(self.cli("association", "approve", UNKNOWN_UUID), 1,
                            "recours association add")
        run = self.cli("incident", "--help")
        self.assertIn("categories: name,email,", run.stdout)
        for cmd in ("incident", "association", "key", "audit", "eligibility"):
            with self.subTest(cmd=cmd):
                run = self.cli(cmd, "--help")
                self.assertEqual(run.returncode, 0, run.stderr)
                self.assertIn("needs DATABASE_URL", run.stdout)
                self.assertIn("RECOURS_SECRETS_DIR", run.stdout)

    def test_every_command_with_subcommands_answers_help_with_its_own_usage(self):
        """`secrets --help` printed the general usage and the whole settings table; `key help`
        (and every other `<command> help`) said "set DATABASE_URL", or "unknown subcommand
        'help'" once it was set; the usages listed the subcommands without saying what
        approve, suspend, issue, revoke, close, kit, import or recompute do."""
        subcommands = {"secrets": ["init"], "incident": ["add", "close", "open"],
                       "association": ["add", "approve", "suspend"],
                       "key": ["issue", "revoke"], "audit": ["head", "verify"],
                       "eligibility": ["kit", "import", "recompute"]}
        for cmd, subs in subcommands.items():
            with self.subTest(cmd=cmd):
                # `recours help <command>` is one dispatch for all: asked once, for secrets
                forms = [[cmd, "--help"], [cmd, "help"]] + [["help", cmd]] * (cmd == "secrets")
                runs = [self.cli(*args, DATABASE_URL=None) for args in forms]
                for run in runs:
                    self.assertEqual((run.returncode, run.stderr), (0, ""))
                    self.assertEqual(run.stdout, runs[0].stdout)
                text = runs[0].stdout
                self.assertTrue(text.startswith(f"usage: recours {cmd} "), text)
                # what each does: on an indented line of its own, not only in the synopsis
                told = " ".join(line for line in text.splitlines() if line.startswith("  "))
                for sub in subs:
                    self.assertRegex(told, rf"\b{sub}\b", text)
                self.assertIn("RECOURS_SECRETS_DIR", text)
                self.assertEqual("DATABASE_URL" in text, cmd != "secrets", text)
                self.assertNotIn("--plain-http", text)  # not the settings table
        run = self.cli("help", "frob")
        self.assert_refused(run, 2, "unknown command 'frob'")

    def test_a_wrong_flag_names_the_command_it_was_given_to(self):
        """"config: unknown flag --frob (see --help)" named no command, and --help of which?"""
        for cmd in (["serve"], ["migrate"], ["secrets", "init"], ["rotate-data-key"],
                    ["erase-withdrawn"]):
            with self.subTest(cmd=cmd):
                name = " ".join(cmd)
                self.assert_refused(self.cli(*cmd, "--frob"), 2,
                                    f"{name}: unknown flag --frob (see recours {name} --help)")
        self.assertEqual(self.cli("secrets", "init", "--help").returncode, 0)  # as pointed to
        self.assert_refused(self.cli("serve", "--port", "x"), 2, "serve: --port is not valid")
        # the operator commands read their settings from the environment
        self.assert_refused(self.cli("audit", "head", RECOURS_PORT="x"), 2,
                            "audit: port (RECOURS_PORT) is not valid")

    def test_a_wrong_subcommand_is_said_before_the_missing_database(self):
        """`incident` alone, without DATABASE_URL, asked for DATABASE_URL; once it was set, it
        said the subcommand was missing: the usage error needs no database, and now comes
        first, with the usage after it."""
        for cmd in ("incident", "association", "key", "audit", "eligibility"):
            with self.subTest(cmd=cmd):
                lines = self.assert_refused(self.cli(cmd, DATABASE_URL=None), 2,
                                            f"{cmd}: which subcommand?")
                self.assertTrue(lines[1].startswith(f"usage: recours {cmd} "), lines)
        self.assert_refused(self.cli("incident", "frob", DATABASE_URL=None), 2,
                            "incident: unknown subcommand 'frob'")
        # a right command line still asks for it, before the secrets (test_no_database_url_…)
        self.assert_refused(self.cli("key", "issue", "--operator", DATABASE_URL=None,
                                     RECOURS_SECRETS_DIR=os.path.join(self.tmp, "none")),
                            2, "key: set DATABASE_URL")

    def test_an_empty_secrets_directory_names_its_setting(self):
        """"secrets: no secrets directory configured" did not say which setting was empty."""
        self.assert_refused(self.cli("secrets", "init", "--secrets-dir", ""), 1,
                            "no secrets directory configured", "--secrets-dir",
                            "RECOURS_SECRETS_DIR")

    def test_an_empty_secrets_directory_is_not_the_filesystems_root(self):
        """rotate-data-key and erase-withdrawn given --secrets-dir "" looked for /hmac-key at
        the filesystem's root and said "could not read /hmac-key"."""
        for command in ("rotate-data-key", "erase-withdrawn"):
            with self.subTest(command=command):
                run = self.cli(command, "--secrets-dir", "")
                self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
                self.assertIn("the secrets directory is empty (--secrets-dir", run.stderr)
                self.assertNotIn("/hmac-key", run.stderr)


if __name__ == "__main__":
    harness.main()
