using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Features.Spikes;
using MemberCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberCare.Tests.Spikes;

public sealed record Arrival(DateTimeOffset At, string Concern, string Text, string? Sku = null);

/// <summary>
/// Generated care traffic on a simulated clock: Poisson arrivals per concern, stored as triaged inbound messages
/// in the app's real database, with the real detector run after every step as its loop would. The texts are varied
/// real-world sentences (<see cref="CareTexts"/>) unless <paramref name="templated"/>: one of a few phrases per concern
/// between filler words, which repeats whole phrasings far more than customers do.
/// </summary>
public sealed class CareTraffic(TestApp app, FakeTimeProvider time, int seed, bool templated = false)
{
    private static readonly Lazy<CareTexts> s_texts = new(() => CareTexts.Load());

    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_skus = [.. Enumerable.Range(100, 40).Select(n => $"TS-{n}")];

    private static readonly (string Concern, double PerHour, string[] Phrases)[] s_background =
    [
        ("where_is_my_order", 6, ["where is my parcel it has not arrived yet", "my order still has not come what is happening", "tracking has not moved for days can you check", "hvor er pakken min den har ikke kommet"]),
        ("damaged_item", 1.5, ["the item arrived damaged with a hole in it", "box was crushed and the shoes are scuffed", "varen kom i stykker"]),
        ("sizing_fit", 2, ["the jeans are too small should I size up", "runs large compared to the size chart", "for liten størrelse kan jeg bytte"]),
        ("return_refund", 2.5, ["when will I get my refund for the return", "I sent the parcel back two weeks ago still no money", "hvordan returnerer jeg"]),
    ];

    private static readonly string[] s_filler = ["please", "thanks", "hello", "asap", "again", "today", "really", "kindly", "soon", "help", "urgent", "ok"];

    private readonly Random _random = new(seed);
    private long _customerId;
    private int _next;

    public SpikeDetector Detector => app.Services.GetRequiredService<SpikeDetector>();

    /// <summary>Steady background traffic of four concerns, about 12 messages an hour.</summary>
    public IEnumerable<Arrival> Background(DateTimeOffset from, TimeSpan length)
    {
        foreach (var (concern, perHour, phrases) in s_background)
        {
            var n = PoissonCount(perHour * length.TotalHours);
            for (var i = 0; i < n; i++)
            {
                var sku = concern is "damaged_item" or "sizing_fit" ? s_skus[_random.Next(s_skus.Length)] : null;
                var text = templated
                    ? $"{s_filler[_random.Next(s_filler.Length)]} {phrases[_random.Next(phrases.Length)]} {s_filler[_random.Next(s_filler.Length)]}"
                    : s_texts.Value.Message(concern, _random);
                yield return new Arrival(from + (length * _random.NextDouble()), concern, sku is null ? text : $"{text} {sku}", sku);
            }
        }
    }

    /// <summary>Stores the arrivals up to the step's end, moves the clock there and runs detection.</summary>
    public async Task<DetectionPass> StepAsync(DateTimeOffset until, IEnumerable<Arrival> arrivals)
    {
        await AddAsync(arrivals);
        time.SetUtcNow(until);
        return await Detector.RunOnceAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs background traffic (plus <paramref name="extra"/>) from the clock's time to <paramref name="until"/>.</summary>
    public async Task<int> RunAsync(DateTimeOffset until, TimeSpan step, Func<DateTimeOffset, TimeSpan, IEnumerable<Arrival>>? extra = null)
    {
        var raised = 0;
        for (var t = time.GetUtcNow(); t < until; t += step)
        {
            var arrivals = Background(t, step).Concat(extra?.Invoke(t, step) ?? []).OrderBy(a => a.At);
            raised += (await StepAsync(t + step, arrivals)).Raised;
        }
        return raised;
    }

    public async Task<List<long>> AddAsync(IEnumerable<Arrival> arrivals)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await app.OpenDbAsync();
        if (_customerId == 0)
        {
            var customer = Customer.Create("Stream Customer", $"stream-{seed}@example.com", Start);
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
            _customerId = customer.Id;
        }
        var messages = new List<Message>();
        foreach (var a in arrivals.OrderBy(a => a.At))
        {
            var conversation = Conversation.Start(_customerId, Channel.Email, $"stream-{seed}-{_next}", null, a.At);
            var message = conversation.ReceiveInbound($"stream-{seed}-{_next++}", a.Text, a.At, null, null, a.At);
            var entities = a.Sku is null ? """{"orderNumbers":[],"skus":[],"sizes":[],"colours":[]}""" : $$"""{"orderNumbers":[],"skus":["{{a.Sku}}"],"sizes":[],"colours":[]}""";
            message.RecordTriage(new MessageTriage(a.Concern, 0.9, "negative", "en", "normal", entities, "warehouse", "test"), a.At);
            db.Conversations.Add(conversation);
            messages.Add(message);
        }
        await db.SaveChangesAsync(ct);
        return [.. messages.Select(m => m.Id)];
    }

    public static IEnumerable<Arrival> Evenly(DateTimeOffset from, TimeSpan length, int count, string concern, Func<int, string> text, string? sku) =>
        Enumerable.Range(0, count).Select(i => new Arrival(from + (length * (i + 0.5) / count), concern, text(i), sku));

    private int PoissonCount(double mean)
    {
        var limit = Math.Exp(-mean);
        var n = 0;
        var p = _random.NextDouble();
        while (p > limit)
        {
            n++;
            p *= _random.NextDouble();
        }
        return n;
    }
}
