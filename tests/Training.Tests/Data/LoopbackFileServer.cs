using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>A real HTTP server on 127.0.0.1 (random free port) serving the files of one directory; counts requests.</summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public LoopbackFileServer(string root)
    {
        _root = root;
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            BaseUrl = new Uri($"http://127.0.0.1:{port}/files/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(BaseUrl.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // the port was taken between probing and binding: try another
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Requested file names, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var name = Path.GetFileName(context.Request.Url!.AbsolutePath);
            Requests.Enqueue(name);
            var path = Path.Combine(_root, name);
            using var response = context.Response;
            if (!File.Exists(path))
            {
                response.StatusCode = 404;
                continue;
            }
            var bytes = await File.ReadAllBytesAsync(path);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
