-- GradGuessCluster: Orleans ADO.NET schema for PostgreSQL, part 2 of 3: cluster membership (UseAdoNetClustering).
-- Needs part 1. The provider's contract: query keys GatewaysQueryKey, MembershipReadRowKey, MembershipReadAllKey,
-- InsertMembershipVersionKey, UpdateIAmAlivetimeKey, InsertMembershipKey, UpdateMembershipKey,
-- DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey, CleanupDefunctSiloEntryKey. Writes that the
-- membership protocol makes conditional on the table version answer one row with row_count 1 (done) or 0 (lost the race).

-- One row per cluster (DeploymentId = ClusterId): the version every membership change must match and bump.
CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,   -- Orleans SiloStatus: 3 = Active, 6 = Dead
    ProxyPort    integer        NULL,       -- gateway port; 0 or NULL = no gateway
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Bumps the cluster's version if it still is expected_version; true when it did.
CREATE FUNCTION orleans_membership_bump_version(deployment varchar, expected_version integer)
    RETURNS boolean
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1, Timestamp = now()
     WHERE DeploymentId = deployment
       AND Version = expected_version
       AND Version < 2147483647;
    RETURN FOUND;
END
$$;

CREATE FUNCTION orleans_membership_insert_version(deployment varchar)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (deployment)
        ON CONFLICT (DeploymentId) DO NOTHING;
    RETURN QUERY SELECT CASE WHEN FOUND THEN 1 ELSE 0 END;
END
$$;

-- A new silo row, only together with a version bump: both happen or neither does.
CREATE FUNCTION orleans_membership_insert(
    deployment varchar, address_arg varchar, port_arg integer, generation_arg integer, silo_name varchar,
    host_name varchar, status_arg integer, proxy_port integer, start_time timestamptz, i_am_alive timestamptz,
    expected_version integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT orleans_membership_bump_version(deployment, expected_version) THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (deployment, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port, start_time, i_am_alive)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'silo row exists' USING ERRCODE = 'unique_violation';   -- undoes the version bump
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION
    WHEN unique_violation THEN
        RETURN QUERY SELECT 0;
END
$$;

-- A silo row's status and suspicions, only together with a version bump. IAmAliveTime never moves backwards.
CREATE FUNCTION orleans_membership_update(
    deployment varchar, address_arg varchar, port_arg integer, generation_arg integer, status_arg integer,
    suspect_times varchar, i_am_alive timestamptz, expected_version integer)
    RETURNS TABLE (row_count integer)
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT orleans_membership_bump_version(deployment, expected_version) THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE OrleansMembershipTable
       SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = GREATEST(IAmAliveTime, i_am_alive)
     WHERE DeploymentId = deployment AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such silo row' USING ERRCODE = 'no_data_found';   -- undoes the version bump
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION
    WHEN no_data_found THEN
        RETURN QUERY SELECT 0;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    SELECT row_count FROM orleans_membership_insert_version(@DeploymentId);
$q$),
('InsertMembershipKey', $q$
    SELECT row_count FROM orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),
('UpdateMembershipKey', $q$
    SELECT row_count FROM orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version);
$q$),
-- Heartbeat: not versioned, never fails.
('UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable
       SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
     WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
$q$),
-- Reads return the version row even when no silo row matches (the outer join).
('MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId
       AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
     WHERE v.DeploymentId = @DeploymentId;
$q$),
('MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId;
$q$),
('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$),
-- Pruning: rows of silos not active (dead, or never past joining) and not heard from since @IAmAliveTime, as Orleans'
-- own scripts prune. A silo declared dead keeps the votes against it in SuspectTimes: no reason to keep its row.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status <> 3
       AND IAmAliveTime < @IAmAliveTime;
$q$),
-- Pruning one dead row, only if it is still exactly as the caller saw it.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = 6
       AND Address = @Address AND Port = @Port AND Generation = @Generation
       AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
       AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$);
