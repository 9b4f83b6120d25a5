import GRDB

/// The schema, as GRDB migrations. Never edit a shipped migration: add the next one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE releases (
                    id TEXT PRIMARY KEY NOT NULL,
                    service TEXT NOT NULL,
                    topology TEXT NOT NULL,
                    version TEXT NOT NULL,
                    started_by TEXT NOT NULL,
                    machine TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    outcome TEXT,
                    reason TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    finished_at DATETIME
                );
                CREATE INDEX releases_by_service ON releases(service, created_at);
                CREATE INDEX releases_by_time ON releases(created_at);
                CREATE INDEX releases_unfinished ON releases(created_at) WHERE finished_at IS NULL;

                CREATE TABLE journal_entries (
                    release_id TEXT NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
                    sequence INTEGER NOT NULL,
                    at DATETIME NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('action', 'event', 'note')),
                    status TEXT NOT NULL CHECK (status IN ('started', 'done', 'failed')),
                    payload TEXT,
                    message TEXT NOT NULL,
                    completes INTEGER,
                    PRIMARY KEY (release_id, sequence)
                );
                -- An action is completed at most once.
                CREATE UNIQUE INDEX journal_completions ON journal_entries(release_id, completes) WHERE completes IS NOT NULL;

                CREATE TABLE instances (
                    service TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    slot TEXT NOT NULL CHECK (slot IN ('blue', 'green')),
                    idx INTEGER NOT NULL,
                    port INTEGER NOT NULL,
                    pid INTEGER NOT NULL,
                    version TEXT NOT NULL,
                    command TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    stopped_at DATETIME
                );
                -- One live record per instance.
                CREATE UNIQUE INDEX instances_live ON instances(service, zone, slot, idx) WHERE stopped_at IS NULL;
                CREATE INDEX instances_by_id ON instances(service, zone, slot, idx);

                CREATE TABLE routes (
                    service TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    slot TEXT NOT NULL CHECK (slot IN ('blue', 'green')),
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (service, zone)
                );
                CREATE TABLE slot_versions (
                    service TEXT NOT NULL,
                    slot TEXT NOT NULL CHECK (slot IN ('blue', 'green')),
                    version TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (service, slot)
                );
                CREATE TABLE load_balancers (
                    name TEXT PRIMARY KEY NOT NULL,
                    master_pid INTEGER NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                CREATE TABLE locks (
                    name TEXT PRIMARY KEY NOT NULL,
                    holder TEXT NOT NULL,
                    acquired_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL
                );

                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DATETIME NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT
                );

                CREATE TABLE drill_runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    playbook TEXT NOT NULL,
                    status TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    report TEXT
                );
                CREATE INDEX drill_runs_by_playbook ON drill_runs(playbook, started_at);
                CREATE TABLE restore_actions (
                    run_id TEXT NOT NULL REFERENCES drill_runs(id) ON DELETE CASCADE,
                    sequence INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    done_at DATETIME,
                    PRIMARY KEY (run_id, sequence)
                );
                """)
        }
        // API tokens: only the SHA-256 (hex) of a token is stored, never the token.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE api_tokens (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                    hash TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL
                );
                """)
        }
        // Drill schedules: what the scheduler has decided so far, per playbook (DrillScheduler's ScheduleState).
        migrator.registerMigration("v3-drill-schedules") { db in
            try db.execute(sql: """
                CREATE TABLE drill_schedules (
                    playbook TEXT PRIMARY KEY NOT NULL,
                    handled_through DATETIME,
                    deferred_fire DATETIME,
                    updated_at DATETIME NOT NULL
                );
                """)
        }
        // Fencing: every takeover of a lock gets a higher generation, kept apart from the lock row so that a released
        // and re-taken lock never repeats one.
        migrator.registerMigration("v4-lock-generations") { db in
            try db.execute(sql: """
                ALTER TABLE locks ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE lock_generations (
                    name TEXT PRIMARY KEY NOT NULL,
                    generation INTEGER NOT NULL
                );
                """)
        }
        // What one instance of a service was measured to serve (`yard load --find-capacity`).
        migrator.registerMigration("v5-capacity-measurements") { db in
            try db.execute(sql: """
                CREATE TABLE capacity_measurements (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    service TEXT NOT NULL,
                    measured_at DATETIME NOT NULL,
                    qps DOUBLE NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX capacity_measurements_service ON capacity_measurements (service, measured_at);
                """)
        }
        // A drill abort asked for by a person (`yard drill abort`, the API): the runner driving the run, in this process or
        // another, reads it and stops, restoring its fault.
        migrator.registerMigration("v6-drill-abort-requests") { db in
            try db.execute(sql: """
                ALTER TABLE drill_runs ADD COLUMN abort_requested_at DATETIME;
                ALTER TABLE drill_runs ADD COLUMN abort_reason TEXT;
                """)
        }
        // The latest forecast reports of capacity plans (`yard forecast PLAYBOOK`), for the dashboard.
        migrator.registerMigration("v7-capacity-reports") { db in
            try db.execute(sql: """
                CREATE TABLE capacity_reports (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    plan TEXT NOT NULL,
                    computed_at DATETIME NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX capacity_reports_plan ON capacity_reports (plan, computed_at);
                """)
        }
        return migrator
    }
}
