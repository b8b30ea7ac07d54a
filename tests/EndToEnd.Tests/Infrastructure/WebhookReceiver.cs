using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>An HTTP endpoint on a free loopback port that keeps the JSON body of every POST it is sent (what an
/// Alertmanager webhook receiver is given) and answers 200.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public WebhookReceiver()
    {
        Url = $"http://127.0.0.1:{FreePorts.Next()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<JsonNode> Received { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                try
                {
                    Received.Enqueue(JsonNode.Parse(await reader.ReadToEndAsync()) ?? throw new JsonException("null"));
                    context.Response.StatusCode = 200;
                }
                catch (JsonException)
                {
                    context.Response.StatusCode = 400;   // not a notification: the test's wait then times out, naming none
                }
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
