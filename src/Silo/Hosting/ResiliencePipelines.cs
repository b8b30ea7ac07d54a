using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>The host's Polly pipelines: bounded retries with exponential back-off, each retry logged with its reason.</summary>
public static partial class ResiliencePipelines
{
    /// <summary>Reaching Redis or PostgreSQL at start: a container's database may come up a few seconds after the silo.</summary>
    public static ResiliencePipeline Startup(int attempts, string target, ILogger logger) =>
        attempts <= 1
            ? ResiliencePipeline.Empty                                // one attempt: no retry (Polly wants MaxRetryAttempts >= 1)
            : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(8),
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFailures.IsTransient),
                OnRetry = args =>
                {
                    LogStartupRetry(logger, target, args.AttemptNumber + 1, attempts, args.RetryDelay,
                        args.Outcome.Exception?.Message ?? "unknown");
                    return default;
                },
            })
            .Build();

    /// <summary>Grain-state reads and writes: a few quick retries over a dropped connection.</summary>
    public static ResiliencePipeline Storage(ILogger logger) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFailures.IsTransient),
                OnRetry = args =>
                {
                    LogStorageRetry(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "unknown");
                    return default;
                },
            })
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaching {Target} failed (attempt {Attempt} of {Attempts}): {Reason}; retrying in {Delay}")]
    private static partial void LogStartupRetry(ILogger logger, string target, int attempt, int attempts, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage operation failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private static partial void LogStorageRetry(ILogger logger, int attempt, TimeSpan delay, string reason);
}
