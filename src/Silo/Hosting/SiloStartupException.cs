namespace GradGuessCluster.Silo.Hosting;

/// <summary>A service the silo needs (Redis, PostgreSQL) stayed unreachable through every start-up attempt.</summary>
public sealed class SiloStartupException(string message, Exception inner) : Exception(message, inner);
