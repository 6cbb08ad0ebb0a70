using System.Text.Json;
using MemberCare.Features.Triage;
using MemberCare.Features.Triage.Training;
using Microsoft.ML;

namespace MemberCare.Tests.Triage;

/// <summary>The models the product ships, as committed under Features/Triage/Models.</summary>
public sealed class TrainingShippedModelsTests
{
    private static readonly string s_models = Path.Combine(RepositoryRoot(), "src", "MemberCare", "Features", "Triage", "Models");
    private static readonly MLContext s_ml = new(seed: 1);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MemberCare.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the repository.");
    }

    private static PredictionEngine<TextInput, LabelPrediction> Engine(string file) =>
        s_ml.Model.CreatePredictionEngine<TextInput, LabelPrediction>(s_ml.Model.Load(Path.Combine(s_models, file), out _));

    [Fact]
    public void The_three_models_and_the_manifest_are_shipped_and_together_under_20_MB()
    {
        var files = new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language }.Select(f => new FileInfo(Path.Combine(s_models, f))).ToList();

        Assert.All(files, f => Assert.True(f.Exists, f.FullName));
        Assert.InRange(files.Sum(f => f.Length), 1, 20L * 1024 * 1024 - 1);
        var manifest = JsonSerializer.Deserialize<TriageManifest>(File.ReadAllText(Path.Combine(s_models, TriageModelFiles.Manifest)), TriageTraining.Json)!;
        Assert.Equal(TriageCorpora.Concerns.Order(), manifest.Models["concern"].Labels.Order());
        Assert.Equal(TriageCorpora.Sentiments, manifest.Models["sentiment"].Labels);
        Assert.Equal(TriageCorpora.Languages.Order(), manifest.Models["language"].Labels.Order());
        Assert.All(files, f => Assert.Equal(f.Length, manifest.Models.Values.Single(m => m.File == f.Name).Bytes));
    }

    [Fact]
    public void The_score_slots_of_every_model_are_named_by_label()
    {
        foreach (var file in new[] { TriageModelFiles.Concern, TriageModelFiles.Sentiment, TriageModelFiles.Language })
        {
            var model = s_ml.Model.Load(Path.Combine(s_models, file), out var schema);
            var labels = TriageModelTrainer.ScoreLabels(model, schema);
            var prediction = s_ml.Model.CreatePredictionEngine<TextInput, LabelPrediction>(model).Predict(new TextInput { Text = "hello there" });

            Assert.Equal(labels.Count, prediction.Score.Length);
            Assert.Contains(prediction.Label, labels);
        }
    }

    [Theory]
    [InlineData("the zip broke after one wash", "product_quality")]
    [InlineData("Where is my order #10234? It was supposed to arrive last week and tracking has not moved", "where_is_my_order")]
    [InlineData("The dress runs really small, I normally wear a medium but need a large", "sizing_fit")]
    [InlineData("I ordered the blue shirt in size M but got a red one in XL", "wrong_or_missing_item")]
    [InlineData("Absolutely love this dress, gorgeous colour and so comfortable!", "praise")]
    [InlineData("I can't log in to my account, the password reset email never comes", "account")]
    [InlineData("Hvor er pakken min? Den skulle kommet i forrige uke", "where_is_my_order")]
    [InlineData("Glidelåsen på jakka røk etter første vask", "product_quality")]
    [InlineData("Pakken kom i dag, men esken var knust og genseren var skitten", "damaged_item")]
    public void The_shipped_concern_model_reads_clear_messages(string text, string concern)
    {
        Assert.Equal(concern, Engine(TriageModelFiles.Concern).Predict(new TextInput { Text = text }).Label);
    }

    [Theory]
    [InlineData("Absolutely love this dress, gorgeous colour and so comfortable!", "positive")]
    [InlineData("Terrible quality, the seams split the first time I wore it. Very disappointed", "negative")]
    [InlineData("Jeg er kjempefornøyd med jakka, tusen takk!", "positive")]
    [InlineData("Helt elendig kvalitet, genseren fikk hull etter en uke", "negative")]
    public void The_shipped_sentiment_model_reads_clear_messages(string text, string sentiment)
    {
        Assert.Equal(sentiment, Engine(TriageModelFiles.Sentiment).Predict(new TextInput { Text = text }).Label);
    }

    [Theory]
    [InlineData("Where is my order? It was supposed to arrive last week", "en")]
    [InlineData("Hvor er pakken min? Den skulle kommet i forrige uke", "no")]
    [InlineData("Kva tid kjem pakken min? Eg har venta i to veker no", "no")]
    [InlineData("Jeg har ikke fått pakken min endnu", "da")]
    [InlineData("Hej, jag har fortfarande inte fått mitt paket", "sv")]
    [InlineData("Wo ist meine Bestellung? Ich warte schon seit zwei Wochen", "de")]
    [InlineData("Où est ma commande ? J'attends depuis deux semaines", "fr")]
    [InlineData("¿Dónde está mi pedido? Llevo dos semanas esperando", "es")]
    [InlineData("Onde está o meu pedido? Estou esperando há duas semanas", "pt")]
    public void The_shipped_language_model_tells_the_languages_apart(string text, string language)
    {
        Assert.Equal(language, Engine(TriageModelFiles.Language).Predict(new TextInput { Text = text }).Label);
    }
}
