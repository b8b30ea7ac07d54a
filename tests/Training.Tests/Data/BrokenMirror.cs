using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>A real HTTP server on loopback that fails mid-file: every request gets a 200 promising 100,000 bytes and half
/// of them, then a reset connection (<paramref name="reset"/>) or silence on an open one.</summary>
internal sealed class BrokenMirror : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly bool _reset;
    private readonly Task _loop;
    private int _requests;

    public BrokenMirror(bool reset)
    {
        _reset = reset;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/files/");
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            try { await AnswerAsync(client); }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { client.Dispose(); }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n"))
        {
            int n = await stream.ReadAsync(buffer, _stop.Token);
            if (n == 0) return;
            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        Interlocked.Increment(ref _requests);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"), _stop.Token);
        await stream.WriteAsync(new byte[50_000], _stop.Token);
        if (_reset)
        {
            await Task.Delay(200, _stop.Token);   // the client is reading the body by then: the reset comes mid-file
            client.Client.LingerState = new LingerOption(true, 0);   // closed with RST, not FIN
            client.Dispose();
        }
        else lock (_held) _held.Add(client);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) _held.ForEach(c => c.Dispose());
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
