using System.Text;
using System.Text.RegularExpressions;
using GradGuessCluster.Client.Local;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>The embedded silo's file log on a disk that fills up or a file that cannot be opened: logging never throws
/// into the code that logs, and the log says how many lines it lost once it can write again.</summary>
public sealed class FileLoggerProviderTests
{
    [Fact]
    public void WritesThatFail_AreDroppedWithoutThrowing_AndTheNextLineThatGetsThroughCountsThem()
    {
        var disk = new Disk();
        var time = new ManualTime();
        using var provider = new FileLoggerProvider(disk.Open, LogLevel.Information, time);
        var log = provider.CreateLogger("test");

        log.LogInformation("one");
        disk.Full = true;
        log.LogWarning("two");
        log.LogWarning("three");
        disk.Full = false;
        log.LogInformation("four");   // within a second of the failure: the file is not tried again yet
        time.Now += TimeSpan.FromSeconds(2);
        log.LogInformation("five");

        var lines = disk.Lines();
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("test: one", lines[0]);
        Assert.EndsWith("FileLoggerProvider: 3 log lines before this one were lost: No space left on device", lines[1]);
        Assert.Contains(" Warning ", lines[1]);
        Assert.EndsWith("test: five", lines[2]);
    }

    [Fact]
    public void AFileThatCannotBeOpened_LosesLinesUntilItCan_AndDebugLinesAreNotWritten()
    {
        var disk = new Disk { Locked = true };
        var time = new ManualTime();
        using var provider = new FileLoggerProvider(disk.Open, LogLevel.Information, time);
        var log = provider.CreateLogger("test");

        log.LogError("lost");
        disk.Locked = false;
        time.Now += TimeSpan.FromSeconds(2);
        log.LogDebug("below the minimum");
        log.LogInformation("kept");

        Assert.Equal(["FileLoggerProvider: 1 log line before this one was lost: Access to the path is denied.", "test: kept"],
            disk.Lines().Select(l => Regex.Replace(l, @"^\S+ \S+\s+", "")));   // without the time and level
    }

    /// <summary>A log file on a disk that can be full (writes fail) or locked (opens fail).</summary>
    private sealed class Disk
    {
        private readonly MemoryStream _content = new();

        public bool Full { get; set; }
        public bool Locked { get; set; }

        public Stream Open() => Locked ? throw new UnauthorizedAccessException("Access to the path is denied.") : new Handle(this);

        public string[] Lines() => Encoding.UTF8.GetString(_content.ToArray()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        private sealed class Handle(Disk disk) : Stream
        {
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => disk._content.Length;
            public override long Position { get => Length; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (disk.Full) throw new IOException("No space left on device");
                disk._content.Write(buffer, offset, count);
            }
        }
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
