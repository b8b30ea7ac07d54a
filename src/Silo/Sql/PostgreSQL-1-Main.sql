-- GradGuessCluster: Orleans ADO.NET schema for PostgreSQL (>= 12), part 1 of 3: the query table.
-- Apply in order to an empty database:  psql -d orleans -f PostgreSQL-1-Main.sql -f PostgreSQL-2-Clustering.sql -f PostgreSQL-3-Persistence.sql
--
-- Orleans' ADO.NET providers (Microsoft.Orleans.Clustering.AdoNet / Persistence.AdoNet 10.4.2) issue no SQL of their own:
-- they load named statements from OrleansQuery and run them with named parameters (@DeploymentId, @GrainIdHash, ...),
-- reading results by column name. The table and column names, query keys, parameter names and result columns below
-- are that contract; everything else (functions, indexes) is this project's own implementation of it.

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
