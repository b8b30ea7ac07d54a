-- GradGuessCluster: Orleans ADO.NET schema for PostgreSQL, part 3 of 3: grain state (AddAdoNetGrainStorage).
-- Needs part 1. The provider's contract: query keys WriteToStorageKey, ReadFromStorageKey, ClearStorageKey,
-- DeleteStorageKey; a state is identified by (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
-- GrainIdExtensionString, ServiceId) and versioned by an integer ETag (Version). Writes answer NewGrainStateVersion:
-- the new version, or the version passed in when the write lost to another writer (an ETag conflict).

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamp    NOT NULL,
    Version                integer      NULL
);

-- One row per state: makes concurrent first writes race-safe (ON CONFLICT) and lookups indexed.
CREATE UNIQUE INDEX UX_OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, COALESCE(GrainIdExtensionString, ''), ServiceId);

CREATE FUNCTION orleans_storage_write(
    id_hash integer, id_n0 bigint, id_n1 bigint, type_hash integer, type_string varchar, id_extension varchar,
    service varchar, expected_version integer, payload bytea)
    RETURNS TABLE (NewGrainStateVersion integer)
    LANGUAGE plpgsql AS
$$
BEGIN
    IF expected_version IS NULL THEN
        -- Never read (or read as absent): only the first writer may create the row.
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                    GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES (id_hash, id_n0, id_n1, type_hash, type_string, id_extension, service, payload, now() AT TIME ZONE 'utc', 1)
        ON CONFLICT DO NOTHING;
        RETURN QUERY SELECT CASE WHEN FOUND THEN 1 ELSE NULL::integer END;
        RETURN;
    END IF;
    UPDATE OrleansStorage
       SET PayloadBinary = payload, ModifiedOn = now() AT TIME ZONE 'utc', Version = Version + 1
     WHERE GrainIdHash = id_hash AND GrainTypeHash = type_hash AND GrainIdN0 = id_n0 AND GrainIdN1 = id_n1
       AND GrainTypeString = type_string AND GrainIdExtensionString IS NOT DISTINCT FROM id_extension
       AND ServiceId = service AND Version = expected_version;
    RETURN QUERY SELECT CASE WHEN FOUND THEN expected_version + 1 ELSE expected_version END;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    SELECT NewGrainStateVersion FROM orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$),
('ReadFromStorageKey', $q$
    SELECT PayloadBinary, now() AT TIME ZONE 'utc' AS ModifiedOn, Version
      FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString AND ServiceId = @ServiceId;
$q$),
-- Clear keeps the row (and its version sequence) with no payload.
('ClearStorageKey', $q$
    UPDATE OrleansStorage
       SET PayloadBinary = NULL, Version = Version + 1
     WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
$q$),
-- Delete (DeleteStateOnClear) removes the row.
('DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
$q$);
