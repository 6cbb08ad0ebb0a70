using System.Net.Http.Headers;

namespace MemberCare.Bench;

/// <summary>One endpoint under load: sends a fresh message per request and tallies how the server answered.</summary>
internal sealed class Target(string name, HttpClient http, Uri endpoint, Traffic traffic)
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private long _answered2xx;
    private long _created;
    private long _refused;
    private long _failed;
    private string? _firstProblem;

    public string Name => name;

    /// <summary>Answers in the 2xx range; for intake, each one is a message the server says it committed.</summary>
    public long Acknowledged => Interlocked.Read(ref _answered2xx);

    /// <summary>201 answers: messages stored for the first time (every message is new, so all of them should be).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Answers outside the 2xx range plus requests that got no answer at all.</summary>
    public long Errors => Interlocked.Read(ref _refused) + Interlocked.Read(ref _failed);

    public string? FirstProblem => _firstProblem;

    public async Task SendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(traffic.Next()) { Headers = { ContentType = s_json } },
        };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _answered2xx);
                if (response.StatusCode == System.Net.HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref _created);
                }
                return;
            }
            Interlocked.Increment(ref _refused);
            var body = await response.Content.ReadAsStringAsync();
            Interlocked.CompareExchange(ref _firstProblem, $"{(int)response.StatusCode}: {body}", null);
        }
        catch (HttpRequestException ex)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstProblem, ex.Message, null);
        }
        catch (TaskCanceledException ex)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstProblem, "timed out: " + ex.Message, null);
        }
    }
}
