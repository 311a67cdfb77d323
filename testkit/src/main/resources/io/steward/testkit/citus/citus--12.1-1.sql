-- Steward test kit: a stand-in for Citus's node metadata (see citus.control). Names, columns,
-- defaults, signatures and error messages follow Citus 12.1; the locks are modelled with advisory
-- locks keyed by node group (Citus locks the shard placements of the group the same way).

\echo Use "CREATE EXTENSION citus" to load this file. \quit

CREATE SCHEMA citus;

CREATE TYPE citus.noderole AS ENUM ('primary', 'secondary', 'unavailable');
ALTER TYPE citus.noderole SET SCHEMA pg_catalog;

CREATE SEQUENCE citus.pg_dist_groupid_seq MINVALUE 1 MAXVALUE 4294967296;
CREATE SEQUENCE citus.pg_dist_node_nodeid_seq MINVALUE 1 MAXVALUE 4294967296;
ALTER SEQUENCE citus.pg_dist_groupid_seq SET SCHEMA pg_catalog;
ALTER SEQUENCE citus.pg_dist_node_nodeid_seq SET SCHEMA pg_catalog;

CREATE TABLE citus.pg_dist_node (
    nodeid int NOT NULL DEFAULT nextval('pg_catalog.pg_dist_node_nodeid_seq') PRIMARY KEY,
    groupid int NOT NULL DEFAULT nextval('pg_catalog.pg_dist_groupid_seq'),
    nodename text NOT NULL,
    nodeport int NOT NULL DEFAULT 5432,
    noderack text NOT NULL DEFAULT 'default',
    hasmetadata bool NOT NULL DEFAULT false,
    isactive bool NOT NULL DEFAULT true,
    noderole noderole NOT NULL DEFAULT 'primary',
    nodecluster name NOT NULL DEFAULT 'default',
    metadatasynced bool NOT NULL DEFAULT false,
    shouldhaveshards bool NOT NULL DEFAULT true,
    UNIQUE (nodename, nodeport)
);
ALTER TABLE citus.pg_dist_node SET SCHEMA pg_catalog;

CREATE TABLE citus.pg_dist_authinfo (
    nodeid integer NOT NULL,
    rolename name NOT NULL,
    authinfo text NOT NULL,
    UNIQUE (nodeid, rolename)
);
ALTER TABLE citus.pg_dist_authinfo SET SCHEMA pg_catalog;

CREATE FUNCTION citus.pg_dist_node_trigger_func() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE pg_catalog.pg_dist_node IN SHARE ROW EXCLUSIVE MODE;
    IF NEW.noderole = 'primary' AND EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node
            WHERE groupid = NEW.groupid AND noderole = 'primary' AND nodeid <> NEW.nodeid) THEN
        RAISE EXCEPTION 'there cannot be two primary nodes in a group';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pg_dist_node_trigger BEFORE INSERT OR UPDATE ON pg_catalog.pg_dist_node
    FOR EACH ROW EXECUTE FUNCTION citus.pg_dist_node_trigger_func();

-- ---- locks -------------------------------------------------------------------------------------
-- Distributed statements routed to a group hold a shared lock on it for their transaction; updating
-- or pausing the group's primary takes it exclusively, which makes new statements wait.

CREATE FUNCTION citus.group_lock_key() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1129600339';

CREATE FUNCTION citus.lock_group_shared(group_id int) RETURNS void LANGUAGE sql AS
    $$ SELECT pg_advisory_xact_lock_shared(citus.group_lock_key(), group_id) $$;

-- Takes a group exclusively; with force, backends still holding it after lock_cooldown ms are
-- terminated (Citus starts a helper that does the same), otherwise it waits as long as it takes.
CREATE FUNCTION citus.lock_group_exclusive(group_id int, force bool, lock_cooldown int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    holder int;
BEGIN
    IF NOT force THEN
        PERFORM pg_advisory_xact_lock(citus.group_lock_key(), group_id);
        RETURN;
    END IF;
    BEGIN
        PERFORM set_config('lock_timeout', greatest(lock_cooldown, 1)::text, true);
        PERFORM pg_advisory_xact_lock(citus.group_lock_key(), group_id);
        PERFORM set_config('lock_timeout', '0', true);
        RETURN;
    EXCEPTION WHEN lock_not_available THEN
        PERFORM set_config('lock_timeout', '0', true);
    END;
    LOOP
        FOR holder IN SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
                AND l.classid = citus.group_lock_key()::oid AND l.objid = group_id::oid AND l.objsubid = 2
                AND l.pid <> pg_backend_pid() LOOP
            RAISE WARNING 'terminating backend % that held the lock of node group % for % ms',
                holder, group_id, lock_cooldown;
            PERFORM pg_terminate_backend(holder);
        END LOOP;
        IF pg_try_advisory_xact_lock(citus.group_lock_key(), group_id) THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
END $$;

-- ---- node management ---------------------------------------------------------------------------

CREATE FUNCTION citus.node_by_id(node_id int) RETURNS pg_catalog.pg_dist_node LANGUAGE plpgsql AS $$
DECLARE
    node pg_catalog.pg_dist_node;
BEGIN
    SELECT * INTO node FROM pg_catalog.pg_dist_node n WHERE n.nodeid = node_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'node % not found', node_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN node;
END $$;

CREATE FUNCTION pg_catalog.citus_add_node(nodename text, nodeport integer, groupid integer DEFAULT -1,
        noderole noderole DEFAULT 'primary', nodecluster name DEFAULT 'default')
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    existing int;
    new_group int := groupid;
    new_id int;
BEGIN
    LOCK TABLE pg_catalog.pg_dist_node IN SHARE ROW EXCLUSIVE MODE;
    SELECT n.nodeid INTO existing FROM pg_catalog.pg_dist_node n
        WHERE n.nodename = citus_add_node.nodename AND n.nodeport = citus_add_node.nodeport;
    IF existing IS NOT NULL THEN
        RETURN existing;
    END IF;
    IF new_group = -1 THEN
        IF noderole <> 'primary' THEN
            RAISE EXCEPTION 'group must be specified for non-primary nodes';
        END IF;
        new_group := nextval('pg_catalog.pg_dist_groupid_seq');
    END IF;
    INSERT INTO pg_catalog.pg_dist_node (groupid, nodename, nodeport, noderole, nodecluster, hasmetadata,
            metadatasynced, shouldhaveshards)
        VALUES (new_group, citus_add_node.nodename, citus_add_node.nodeport, citus_add_node.noderole,
            citus_add_node.nodecluster, new_group = 0 OR noderole = 'primary', new_group = 0 OR noderole = 'primary',
            new_group <> 0)
        RETURNING nodeid INTO new_id;
    RETURN new_id;
END $$;

CREATE FUNCTION pg_catalog.citus_add_secondary_node(nodename text, nodeport integer, primaryname text,
        primaryport integer, nodecluster name DEFAULT 'default')
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    primary_group int;
BEGIN
    SELECT n.groupid INTO primary_group FROM pg_catalog.pg_dist_node n
        WHERE n.nodename = primaryname AND n.nodeport = primaryport;
    IF primary_group IS NULL THEN
        RAISE EXCEPTION 'node at "%:%" does not exist', primaryname, primaryport;
    END IF;
    RETURN pg_catalog.citus_add_node(nodename, nodeport, primary_group, 'secondary', nodecluster);
END $$;

CREATE FUNCTION pg_catalog.citus_update_node(node_id integer, new_node_name text, new_node_port integer,
        force bool DEFAULT false, lock_cooldown integer DEFAULT 10000)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    same_address int;
    node pg_catalog.pg_dist_node;
BEGIN
    SELECT n.nodeid INTO same_address FROM pg_catalog.pg_dist_node n
        WHERE n.nodename = new_node_name AND n.nodeport = new_node_port;
    IF same_address IS NOT NULL THEN
        IF same_address = node_id THEN
            RETURN;
        END IF;
        RAISE EXCEPTION 'there is already another node with the specified hostname and port'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    node := citus.node_by_id(node_id);
    IF node.noderole = 'primary' THEN
        PERFORM citus.lock_group_exclusive(node.groupid, force, lock_cooldown);
    END IF;
    UPDATE pg_catalog.pg_dist_node n SET nodename = new_node_name, nodeport = new_node_port
        WHERE n.nodeid = node_id;
END $$;

CREATE FUNCTION pg_catalog.citus_pause_node_within_txn(node_id integer, force bool DEFAULT false,
        lock_cooldown integer DEFAULT 10000)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    node pg_catalog.pg_dist_node;
BEGIN
    node := citus.node_by_id(node_id);
    IF node.noderole = 'primary' THEN
        PERFORM citus.lock_group_exclusive(node.groupid, force, lock_cooldown);
    END IF;
END $$;

CREATE FUNCTION pg_catalog.citus_remove_node(nodename text, nodeport integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    node pg_catalog.pg_dist_node;
BEGIN
    LOCK TABLE pg_catalog.pg_dist_node IN SHARE ROW EXCLUSIVE MODE;
    SELECT * INTO node FROM pg_catalog.pg_dist_node n
        WHERE n.nodename = citus_remove_node.nodename AND n.nodeport = citus_remove_node.nodeport;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'node at "%:%" does not exist', nodename, nodeport USING ERRCODE = 'no_data_found';
    END IF;
    IF node.noderole = 'primary' AND EXISTS (SELECT 1 FROM citus.distributed_tables WHERE node.groupid = ANY (groups)) THEN
        RAISE EXCEPTION 'cannot remove or disable the node %:% because it contains the only shard '
            'placement for shard', nodename, nodeport;
    END IF;
    DELETE FROM pg_catalog.pg_dist_authinfo a WHERE a.nodeid = node.nodeid;
    DELETE FROM pg_catalog.pg_dist_node n WHERE n.nodeid = node.nodeid;
END $$;

CREATE FUNCTION pg_catalog.citus_set_coordinator_host(host text,
        port integer DEFAULT current_setting('port')::int, node_role noderole DEFAULT 'primary',
        node_cluster name DEFAULT 'default')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    coordinator int;
BEGIN
    SELECT n.nodeid INTO coordinator FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0 AND n.noderole = node_role;
    IF coordinator IS NULL THEN
        PERFORM pg_catalog.citus_add_node(host, port, 0, node_role, node_cluster);
    ELSE
        PERFORM pg_catalog.citus_update_node(coordinator, host, port);
    END IF;
END $$;

CREATE FUNCTION pg_catalog.citus_version() RETURNS text LANGUAGE sql AS
    $$ SELECT 'Citus 12.1 stand-in of the Steward test kit (node metadata only)'::text $$;

-- ---- distributed tables ------------------------------------------------------------------------
-- Enough to send writes "through the coordinator": create_distributed_table() replaces inserts
-- into the coordinator's table by inserts into the same table on the primary of the row's group
-- (the distribution column's hash picks among the worker groups), over dblink, holding the
-- group's lock for the transaction, as Citus holds its shard locks. Reads and other statements
-- are not distributed. The test creates the table on the workers itself, and dblink.

CREATE TABLE citus.distributed_tables (
    logicalrelid regclass PRIMARY KEY,
    distribution_column text NOT NULL,
    groups int[] NOT NULL
);

CREATE FUNCTION citus.route_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    dist citus.distributed_tables;
    key text;
    target_group int;
    target pg_catalog.pg_dist_node;
    password text;
    conninfo text;
BEGIN
    SELECT * INTO dist FROM citus.distributed_tables WHERE logicalrelid = TG_RELID;
    EXECUTE format('SELECT ($1).%I::text', dist.distribution_column) INTO key USING NEW;
    target_group := dist.groups[1 + abs(hashtext(key)) % array_length(dist.groups, 1)];
    PERFORM citus.lock_group_shared(target_group);
    SELECT * INTO target FROM pg_catalog.pg_dist_node n WHERE n.groupid = target_group AND n.noderole = 'primary';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no primary in node group %', target_group;
    END IF;
    SELECT a.authinfo INTO password FROM pg_catalog.pg_dist_authinfo a
        WHERE a.rolename = current_user AND a.nodeid IN (0, target.nodeid) ORDER BY a.nodeid DESC LIMIT 1;
    conninfo := format('host=%s port=%s dbname=%s user=%s connect_timeout=2 %s', target.nodename, target.nodeport,
        current_database(), current_user, coalesce(password, ''));
    PERFORM dblink_exec(conninfo, format('INSERT INTO %s SELECT (r).* FROM (SELECT %L::%s AS r) s',
        TG_RELID::regclass, NEW, TG_RELID::regclass));
    RETURN NULL;
END $$;

CREATE FUNCTION pg_catalog.create_distributed_table(table_name regclass, distribution_column text,
        distribution_type text DEFAULT 'hash', colocate_with text DEFAULT 'default', shard_count int DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    worker_groups int[];
BEGIN
    SELECT array_agg(DISTINCT groupid ORDER BY groupid) INTO worker_groups FROM pg_catalog.pg_dist_node
        WHERE noderole = 'primary' AND groupid <> 0;
    IF worker_groups IS NULL THEN
        RAISE EXCEPTION 'no worker nodes are available for placing shards';
    END IF;
    INSERT INTO citus.distributed_tables VALUES (table_name, distribution_column, worker_groups);
    EXECUTE format('CREATE TRIGGER citus_route_insert BEFORE INSERT ON %s FOR EACH ROW '
        'EXECUTE FUNCTION citus.route_insert()', table_name);
END $$;
