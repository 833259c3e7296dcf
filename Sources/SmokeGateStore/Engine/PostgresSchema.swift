import Foundation

/// The PostgreSQL schema: the tables SQLite's migrations (`Schema`) arrive at, written for
/// PostgreSQL, then its own ordered migrations, never edited once shipped.
///
/// The columns keep SQLite's representation so that the store's queries and decoding are the
/// same on both engines: times are Unix seconds (`double precision`), flags are 0 or 1
/// (`bigint`), text compares byte by byte (`COLLATE "C"`, SQLite's order). Two-argument
/// `max` and `min`, scalar functions in SQLite, are defined here with SQLite's meaning (NULL
/// if either argument is NULL).
enum PostgresSchema {
    /// Migrations by identifier, in order.
    static let migrations: [(id: String, statements: [String])] = [
        ("pg-v1", version1),
        ("pg-v2-cluster", clusterTables(text: #"text COLLATE "C""#, real: "double precision", integer: "bigint")),
        ("pg-v3-vocabulary", Schema.vocabularyStatements(renamingIndex: true)),
    ]

    /// The cluster's tables in either engine's types (SQLite's migration `v12-cluster` too):
    /// - `event.node`: the node that stored the event (NULL: a gateway on its own);
    /// - `event_echo`: a node's copy of an event another node had stored, recognised and not
    ///   stored again (each copy matches one event: identical repeats stay apart);
    /// - `cluster_lease`: the one leader, its epoch (the fencing token) and when its lease ends
    ///   on the database's clock;
    /// - `cluster_node`: what each node last said of itself, for `status`;
    /// - `gateway_status.node`: which node wrote the gateway's status (its leader).
    static func clusterTables(text: String, real: String, integer: String) -> [String] {
        [
            "ALTER TABLE event ADD COLUMN node \(text)",
            "ALTER TABLE gateway_status ADD COLUMN node \(text)",
            """
            CREATE TABLE event_echo (
              event_id \(integer) NOT NULL, node \(text) NOT NULL, at \(real) NOT NULL, PRIMARY KEY (event_id, node))
            """,
            """
            CREATE TABLE cluster_lease (
              id \(integer) PRIMARY KEY CHECK (id = 1), node \(text) NOT NULL, instance \(text) NOT NULL,
              epoch \(integer) NOT NULL, acquired_at \(real) NOT NULL, renewed_at \(real) NOT NULL,
              expires_at \(real) NOT NULL)
            """,
            """
            CREATE TABLE cluster_node (
              node \(text) PRIMARY KEY, instance \(text) NOT NULL, role \(text) NOT NULL, epoch \(integer),
              pid \(integer) NOT NULL, connected \(integer) NOT NULL, received \(integer) NOT NULL,
              started_at \(real) NOT NULL, updated_at \(real) NOT NULL)
            """,
        ]
    }

    /// Applies what is missing, in one transaction under the store's write lock: two gateways
    /// starting together migrate one after the other, the second finding nothing to do.
    static func migrate(_ engine: PostgresEngine) throws {
        try engine.write(durable: true) { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS smokegate_migrations (
                      identifier text COLLATE "C" PRIMARY KEY, applied_at double precision NOT NULL)
                    """)
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM smokegate_migrations"))
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO smokegate_migrations (identifier, applied_at) VALUES (?, ?)",
                    arguments: [migration.id, Date().timeIntervalSince1970])
            }
        }
    }

    /// Whether every migration this version knows has been applied.
    static func isMigrated(_ engine: PostgresEngine) throws -> Bool {
        try engine.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT to_regclass('smokegate_migrations') IS NOT NULL") == true else {
                return false
            }
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM smokegate_migrations"))
            return migrations.allSatisfy { applied.contains($0.id) }
        }
    }

    private static let version1: [String] = [
        """
        CREATE FUNCTION max(a double precision, b double precision) RETURNS double precision
          LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a >= b THEN a ELSE b END'
        """,
        """
        CREATE FUNCTION min(a double precision, b double precision) RETURNS double precision
          LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a <= b THEN a ELSE b END'
        """,
        """
        CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint
          LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a <= b THEN a ELSE b END'
        """,
        """
        CREATE TABLE device (
          id text COLLATE "C" PRIMARY KEY, grid text COLLATE "C", address text COLLATE "C", venue text COLLATE "C",
          venue_type text COLLATE "C", profile text COLLATE "C" NOT NULL DEFAULT 'default',
          registered bigint NOT NULL DEFAULT 0, format text COLLATE "C", first_seen_at double precision,
          last_seen_at double precision, battery bigint, signal bigint, condition bigint NOT NULL DEFAULT 0,
          last_event text COLLATE "C", last_event_at double precision, last_test_at double precision,
          last_event_key text COLLATE "C")
        """,
        """
        CREATE TABLE event (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, device_id text COLLATE "C" NOT NULL,
          kind text COLLATE "C" NOT NULL, format text COLLATE "C" NOT NULL, topic text COLLATE "C" NOT NULL,
          occurred_at double precision, received_at double precision NOT NULL, seq bigint,
          dedupe_key text COLLATE "C" NOT NULL, battery bigint, signal bigint, smoke double precision,
          temperature double precision, payload text COLLATE "C" NOT NULL, notes text COLLATE "C")
        """,
        "CREATE INDEX event_by_identity ON event (device_id, kind, dedupe_key)",
        "CREATE INDEX event_by_time ON event (received_at)",
        """
        CREATE TABLE rejected_message (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, received_at double precision NOT NULL,
          topic text COLLATE "C" NOT NULL, format text COLLATE "C", reason text COLLATE "C" NOT NULL,
          detail text COLLATE "C" NOT NULL, payload bytea NOT NULL)
        """,
        """
        CREATE TABLE gateway_status (
          id bigint PRIMARY KEY CHECK (id = 1), pid bigint NOT NULL, client_id text COLLATE "C" NOT NULL,
          broker text COLLATE "C" NOT NULL, started_at double precision NOT NULL, updated_at double precision NOT NULL,
          connected bigint NOT NULL, received bigint NOT NULL, rejected bigint NOT NULL, heartbeats bigint NOT NULL,
          events bigint NOT NULL, duplicates bigint NOT NULL, by_format text COLLATE "C" NOT NULL,
          by_reason text COLLATE "C" NOT NULL, stopped_at double precision, updated_boottime double precision,
          boot_id text COLLATE "C", dispatch_refusing bigint NOT NULL DEFAULT 0, calls_refused bigint NOT NULL DEFAULT 0,
          refusal text COLLATE "C", subscriptions_refused text COLLATE "C", receivers_in_trouble text COLLATE "C")
        """,
        """
        CREATE TABLE incident (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, kind text COLLATE "C" NOT NULL,
          state text COLLATE "C" NOT NULL, device_id text COLLATE "C" NOT NULL, address text COLLATE "C" NOT NULL,
          venue text COLLATE "C" NOT NULL, venue_type text COLLATE "C" NOT NULL, venue_key text COLLATE "C",
          grid text COLLATE "C", community text COLLATE "C", street text COLLATE "C",
          opened_at double precision NOT NULL, ladder text COLLATE "C" NOT NULL, called bigint NOT NULL,
          tier text COLLATE "C", next_deadline_at double precision, acked_by text COLLATE "C",
          acked_at double precision, resolved_by text COLLATE "C", resolved_at double precision, cause text COLLATE "C",
          shielded text COLLATE "C", ladder_origin_at double precision, silence_id bigint)
        """,
        "CREATE INDEX incident_unresolved_by_device ON incident (device_id, kind) WHERE state != 'resolved'",
        """
        CREATE INDEX incident_unresolved_fire_by_venue ON incident (venue_key)
          WHERE state != 'resolved' AND kind = 'fire' AND venue_key IS NOT NULL
        """,
        "CREATE INDEX incident_by_deadline ON incident (next_deadline_at) WHERE next_deadline_at IS NOT NULL",
        "CREATE INDEX incident_by_opening ON incident (opened_at)",
        "CREATE INDEX incident_unresolved ON incident (id) WHERE state != 'resolved'",
        "CREATE INDEX incident_shielded_by ON incident (silence_id) WHERE silence_id IS NOT NULL AND state != 'resolved'",
        """
        CREATE TABLE timeline (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, incident_id bigint NOT NULL REFERENCES incident (id),
          at double precision NOT NULL, action text COLLATE "C" NOT NULL, tier text COLLATE "C", by text COLLATE "C",
          note text COLLATE "C", os_user text COLLATE "C", channel text COLLATE "C")
        """,
        "CREATE INDEX timeline_by_incident ON timeline (incident_id, id)",
        """
        CREATE TABLE outbox (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, notification text COLLATE "C" NOT NULL UNIQUE,
          incident_id bigint NOT NULL REFERENCES incident (id), action text COLLATE "C" NOT NULL,
          tier text COLLATE "C" NOT NULL, topic text COLLATE "C" NOT NULL, payload text COLLATE "C" NOT NULL,
          created_at double precision NOT NULL, attempts bigint NOT NULL DEFAULT 0,
          next_attempt_at double precision NOT NULL, last_error text COLLATE "C", sent_at double precision,
          priority bigint NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL",
        "CREATE INDEX outbox_waiting ON outbox (priority, next_attempt_at, id) WHERE sent_at IS NULL",
        "CREATE INDEX outbox_waiting_by_thread ON outbox (incident_id, topic, id) WHERE sent_at IS NULL",
        "CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL",
        """
        CREATE TABLE silence (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, target_kind text COLLATE "C" NOT NULL,
          target text COLLATE "C" NOT NULL, reason text COLLATE "C" NOT NULL, by text COLLATE "C" NOT NULL,
          os_user text COLLATE "C", starts_at double precision NOT NULL, ends_at double precision NOT NULL,
          lifted_at double precision, lifted_by text COLLATE "C", lifted_os_user text COLLATE "C",
          released_at double precision)
        """,
        "CREATE INDEX silence_by_target ON silence (target_kind, target, ends_at)",
        "CREATE INDEX silence_unreleased ON silence (ends_at) WHERE released_at IS NULL",
        """
        CREATE TABLE registry_sync (
          id bigint PRIMARY KEY CHECK (id = 1), fingerprint text COLLATE "C" NOT NULL, devices bigint NOT NULL,
          synced_at double precision NOT NULL)
        """,
        """
        CREATE TABLE incident_detector (
          device_id text COLLATE "C" NOT NULL, incident_id bigint NOT NULL REFERENCES incident (id),
          PRIMARY KEY (device_id, incident_id))
        """,
        "CREATE INDEX incident_detector_by_incident ON incident_detector (incident_id)",
        """
        CREATE TABLE dispatch_group (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, tier text COLLATE "C" NOT NULL,
          unit_id text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL, revision bigint NOT NULL DEFAULT 0,
          last_sent_at double precision, due_at double precision, anchor_incident_id bigint REFERENCES incident (id),
          UNIQUE (tier, unit_id, kind))
        """,
        "CREATE INDEX dispatch_group_due ON dispatch_group (due_at) WHERE due_at IS NOT NULL",
        """
        CREATE TABLE dispatch_group_member (
          group_id bigint NOT NULL REFERENCES dispatch_group (id) ON DELETE CASCADE, incident_id bigint NOT NULL,
          told text COLLATE "C", PRIMARY KEY (group_id, incident_id))
        """,
        "CREATE INDEX dispatch_group_member_by_incident ON dispatch_group_member (incident_id)",
        """
        CREATE TABLE reload (
          id bigint PRIMARY KEY CHECK (id = 1), at double precision NOT NULL, pid bigint NOT NULL,
          summary text COLLATE "C" NOT NULL, problems text COLLATE "C")
        """,
        """
        CREATE TABLE delivery (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, outbox_id bigint NOT NULL,
          notification text COLLATE "C" NOT NULL, incident_id bigint NOT NULL, tier text COLLATE "C" NOT NULL,
          unit_id text COLLATE "C" NOT NULL, action text COLLATE "C" NOT NULL, receiver text COLLATE "C" NOT NULL,
          contact_id text COLLATE "C", contact_name text COLLATE "C", phone text COLLATE "C", answer_code text COLLATE "C",
          priority bigint NOT NULL, created_at double precision NOT NULL, next_attempt_at double precision NOT NULL,
          attempts bigint NOT NULL DEFAULT 0, state text COLLATE "C" NOT NULL DEFAULT 'waiting',
          last_error text COLLATE "C", finished_at double precision, tell_after double precision,
          failure_told_at double precision, is_failure_notice bigint NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX delivery_waiting ON delivery (receiver, priority, next_attempt_at, id) WHERE state = 'waiting'",
        "CREATE INDEX delivery_thread ON delivery (receiver, incident_id, unit_id, phone, id) WHERE state = 'waiting'",
        """
        CREATE INDEX delivery_overdue ON delivery (tell_after)
          WHERE state = 'waiting' AND failure_told_at IS NULL AND tell_after IS NOT NULL
        """,
        "CREATE INDEX delivery_failed_untold ON delivery (id) WHERE state IN ('refused', 'unknown') AND failure_told_at IS NULL",
        "CREATE INDEX delivery_by_incident ON delivery (incident_id, id)",
        "CREATE INDEX delivery_by_code ON delivery (answer_code) WHERE answer_code IS NOT NULL",
        "CREATE INDEX delivery_by_outbox ON delivery (outbox_id)",
        """
        CREATE TABLE delivery_attempt (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, delivery_id bigint NOT NULL,
          at double precision NOT NULL, outcome text COLLATE "C" NOT NULL, detail text COLLATE "C",
          latency_ms double precision)
        """,
        "CREATE INDEX delivery_attempt_by_delivery ON delivery_attempt (delivery_id, id)",
    ]
}
