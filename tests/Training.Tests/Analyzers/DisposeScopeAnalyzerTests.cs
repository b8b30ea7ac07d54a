using GradGuessCluster.Analyzers;

namespace GradGuessCluster.Training.Tests.Analyzers;

/// <summary>GG0004 (build/Analyzers/DisposeScopeAnalyzer.cs): no TorchSharp dispose scope lives across an await, where
/// the code after it may run on another thread with another thread's scopes.</summary>
public class DisposeScopeAnalyzerTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using TorchSharp;
        using static TorchSharp.torch;
        static class Probe
        {
        """;

    [Theory]
    [InlineData("static async Task Run() { using var s = NewDisposeScope(); await Task.Yield(); var t = zeros(2); }")]
    [InlineData("static async Task Run() { using (NewDisposeScope()) { await Task.Delay(1); } }")]
    [InlineData("static Func<Task> Run() => async () => { using var s = NewDisposeScope(); await Task.Yield(); };")]   // a lambda
    [InlineData("static async Task Run() { Task Inner() => Task.CompletedTask; using var s = NewDisposeScope(); await Inner(); }")]
    [InlineData("static async Task Run(IAsyncEnumerable<int> xs) { using var s = NewDisposeScope(); await foreach (var x in xs) { } }")]
    public void Flags_a_scope_before_an_await(string member)
    {
        var found = Analyze(member);
        Assert.Contains(found, f => f.StartsWith("GG0004:"));
    }

    [Theory]
    [InlineData("static void Run() { using var s = NewDisposeScope(); var t = zeros(2); }")]
    [InlineData("static async Task Run() { await Task.Yield(); using var s = NewDisposeScope(); var t = zeros(2); }")]   // all on one thread
    [InlineData("static async Task Run() { await Task.Run(() => { using var s = NewDisposeScope(); var t = zeros(2); }); }")]
    [InlineData("static async Task Run() { using var s = NewDisposeScope(); async Task Later() => await Task.Yield(); }")]   // its own function
    public void Lets_scopes_that_stay_on_one_thread_through(string member)
    {
        var found = Analyze(member);
        Assert.Empty(found);
    }

    [Fact]
    public void Training_library_opens_no_scope_across_an_await() =>
        Assert.Empty(AnalyzerProbe.Run(new DisposeScopeAnalyzer(), AnalyzerProbe.TrainingSources(), withGlobalUsings: true));

    private static List<string> Analyze(string member) =>
        AnalyzerProbe.Run(new DisposeScopeAnalyzer(), [Prelude + member + "\n}\n"]);
}
