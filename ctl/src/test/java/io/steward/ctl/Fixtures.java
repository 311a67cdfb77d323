package io.steward.ctl;

/**
 * Canned answers shaped exactly as the decision service's ClusterView, ScopesResource and
 * DeciderResource produce them (key order included).
 */
final class Fixtures {

    private Fixtures() {
    }

    /** demo: leader pg1, sync standby pg2 (lag 0), replica pg3 (1.5 MB behind). */
    static final String DEMO = """
            {"scope":"demo","members":[
            {"name":"pg1","role":"leader","state":"running","api_url":"http://10.0.0.1:8008/patroni",\
            "host":"10.0.0.1","port":5432,"timeline":3,"lsn":"0/5000060"},
            {"name":"pg2","role":"sync_standby","state":"running","api_url":"http://10.0.0.2:8008/patroni",\
            "host":"10.0.0.2","port":5432,"timeline":3,"lag":0,"receive_lsn":"0/5000060","replay_lsn":"0/5000060"},
            {"name":"pg3","role":"replica","state":"running","api_url":"http://10.0.0.3:8008/patroni",\
            "host":"10.0.0.3","port":5433,"timeline":3,"lag":1572864,"receive_lsn":"0/4E80060","replay_lsn":"0/4E80060"}
            ]}""";

    /** demo paused, with a switchover from pg1 to pg2 scheduled. */
    static final String DEMO_PAUSED_SCHEDULED = """
            {"scope":"demo","scheduled_switchover":{"at":"2026-11-21T12:00:00Z","from":"pg1","to":"pg2"},"members":[
            {"name":"pg1","role":"leader","state":"running","api_url":"http://10.0.0.1:8008/patroni",\
            "host":"10.0.0.1","port":5432,"timeline":3,"lsn":"0/5000060"},
            {"name":"pg2","role":"replica","state":"running","api_url":"http://10.0.0.2:8008/patroni",\
            "host":"10.0.0.2","port":5432,"timeline":3,"lag":0}
            ],"pause":true}""";

    /** Tags, a pending restart, an unknown lag and a stopped member without timeline. */
    static final String TAGGED = """
            {"scope":"demo","members":[
            {"name":"pg1","role":"leader","state":"running","api_url":"http://10.0.0.1:8008/patroni",\
            "host":"10.0.0.1","port":5432,"timeline":3,"lsn":"0/5000060","pending_restart":true,\
            "pending_restart_reason":{"max_connections":{"old_value":"100","new_value":"200"}}},
            {"name":"pg2","role":"replica","state":"stopped","api_url":"http://10.0.0.2:8008/patroni",\
            "host":"10.0.0.2","port":5432,"lag":"unknown","tags":{"nofailover":true,"clonefrom":true}}
            ]}""";

    /** A cascading replica: pg3 replicates from pg2; pg4 from the leader. */
    static final String CASCADE = """
            {"scope":"demo","members":[
            {"name":"pg1","role":"leader","state":"running","api_url":"http://h1:8008/patroni","host":"h1","port":5432,\
            "timeline":1,"lsn":"0/3000060"},
            {"name":"pg2","role":"replica","state":"running","api_url":"http://h2:8008/patroni","host":"h2","port":5432,\
            "timeline":1,"lag":0},
            {"name":"pg3","role":"replica","state":"running","api_url":"http://h3:8008/patroni","host":"h3","port":5432,\
            "timeline":1,"lag":2097152,"tags":{"replicatefrom":"pg2"}},
            {"name":"pg4","role":"replica","state":"running","api_url":"http://h4:8008/patroni","host":"h4","port":5432,\
            "timeline":1,"lag":16777216}
            ]}""";

    /** Citus: coordinator group 0 and worker group 1, each with a leader and a replica. */
    static final String CITUS = """
            {"scope":"shop","members":[
            {"name":"c1","role":"leader","state":"running","api_url":"http://c1:8008/patroni","host":"c1","port":5432,\
            "timeline":1,"lsn":"0/3000060","group":0},
            {"name":"c2","role":"replica","state":"running","api_url":"http://c2:8008/patroni","host":"c2","port":5432,\
            "timeline":1,"lag":0,"group":0},
            {"name":"w1","role":"leader","state":"running","api_url":"http://w1:8008/patroni","host":"w1","port":5432,\
            "timeline":2,"lsn":"0/6000060","group":1},
            {"name":"w2","role":"replica","state":"running","api_url":"http://w2:8008/patroni","host":"w2","port":5432,\
            "timeline":2,"lag":104857,"group":1}
            ]}""";

    static final String CONFIG = """
            {"version":7,"config":{"loop_wait":10,"maximum_lag_on_failover":1048576,\
            "postgresql":{"parameters":{"max_connections":100,"wal_level":"replica"},"use_pg_rewind":true},\
            "retry_timeout":10,"ttl":30}}""";

    static final String DECIDER = """
            {"instance":"d1","leader":true,"epoch":42,"caught_up":true,"groups":3}""";

    static final String HISTORY = """
            [[1,50331744,"no recovery target specified","2026-11-20T09:00:00Z","pg2","pg1","stewardctl:alice@ops1@10.0.0.9"],\
            [2,4294967296,"switchover from pg2 to pg1",null,"pg1","pg2","api@10.0.0.7"]]""";
}
