namespace GradGuessCluster.Client.Cluster;

/// <summary>
/// The end of a command's <c>--connect-timeout</c>, shared by every step that retries towards it (the Redis
/// membership check, the Orleans gateway connect): each attempt's own time limit ends with it, and a retry that
/// could not start before it is not made.
/// </summary>
internal readonly record struct ConnectDeadline(DateTime At)
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public static ConnectDeadline After(TimeSpan timeout) => new(DateTime.UtcNow + timeout);

    public TimeSpan Left => At - DateTime.UtcNow;

    /// <summary>The time left in milliseconds, at least 100: the limit for one attempt (StackExchange.Redis' timeouts).</summary>
    public int AttemptMilliseconds => (int)Math.Clamp(Left.TotalMilliseconds, 100, int.MaxValue);

    /// <summary>Waits <see cref="RetryDelay"/> before the next attempt; false, without waiting, when that would pass the deadline.</summary>
    public async Task<bool> BeforeRetryAsync(CancellationToken ct)
    {
        if (DateTime.UtcNow + RetryDelay >= At) return false;
        await Task.Delay(RetryDelay, ct);
        return true;
    }
}
