using System.Text;
using System.Text.Json;
using MemberCare.Features.Triage;
using MemberCare.Features.Triage.Training;
using Microsoft.ML;

namespace MemberCare.Tests.Triage;

/// <summary>Training end to end on a small labels folder written here: no corpus is needed.</summary>
public sealed class TrainingModelTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "membercare-training-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static readonly string[] s_items = ["dress", "jacket", "jeans", "shirt", "coat", "sweater", "skirt", "boots"];
    private static readonly string[] s_plagg = ["kjolen", "jakka", "buksa", "skjorta", "kåpa", "genseren", "skjørtet", "støvlene"];

    internal static IEnumerable<string[]> Messages()
    {
        for (var i = 0; i < s_items.Length; i++)
        {
            var item = s_items[i];
            var plagg = s_plagg[i];
            var order = 40000 + (i * 137);
            yield return [$"Where is my order {order}? The {item} has still not arrived", "where_is_my_order", "negative", "en"];
            yield return [$"my parcel with the {item} is late, tracking has not moved for a week (order {order})", "where_is_my_order", "negative", "en"];
            yield return [$"Hvor er pakken min? Ordre {order} med {plagg} har ikke kommet", "where_is_my_order", "negative", "no"];
            yield return [$"pakken med {plagg} er forsinket, sporingen har stått stille i en uke", "where_is_my_order", "negative", "no"];
            yield return [$"The zip on the {item} broke after one wash and the seams are coming apart", "product_quality", "negative", "en"];
            yield return [$"the fabric of the {item} pilled after wearing it twice, really poor quality", "product_quality", "negative", "en"];
            yield return [$"Glidelåsen på {plagg} røk etter første vask og sømmene går opp", "product_quality", "negative", "no"];
            yield return [$"stoffet i {plagg} nupper seg etter to gangers bruk, dårlig kvalitet", "product_quality", "negative", "no"];
            yield return [$"I love the {item}, beautiful colour and it looks amazing, thank you!", "praise", "positive", "en"];
            yield return [$"Absolutely gorgeous {item}, so happy with it, great job", "praise", "positive", "en"];
            yield return [$"Elsker {plagg}, nydelig farge og den er så fin, tusen takk!", "praise", "positive", "no"];
            yield return [$"Så fornøyd med {plagg}, helt perfekt, dere er best", "praise", "positive", "no"];
        }
    }

    private TriagePaths WriteLabels()
    {
        var labels = Directory.CreateDirectory(Path.Combine(_folder, "labels")).FullName;
        var csv = new StringBuilder("text,concern,sentiment,language\n");
        foreach (var row in Messages())
        {
            csv.AppendLine(string.Join(',', row.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")));
        }
        File.WriteAllText(Path.Combine(labels, "care_messages_en.csv"), csv.ToString());
        return new TriagePaths(Path.Combine(_folder, "no-corpora"), labels, Path.Combine(_folder, "models"));
    }

    [Fact]
    public void Training_on_a_small_labels_folder_writes_three_models_that_predict_obvious_messages()
    {
        var paths = WriteLabels();
        var exported = Path.Combine(_folder, "splits");

        var manifest = new TriageTraining(paths, TextWriter.Null).Train("test-1", exported);

        Assert.Equal("test-1", manifest.Version);
        Assert.Equal(["concern", "language", "sentiment"], manifest.Models.Keys.Order());
        var written = JsonSerializer.Deserialize<TriageManifest>(File.ReadAllText(Path.Combine(paths.Models, TriageModelFiles.Manifest)), TriageTraining.Json)!;
        Assert.Equal(manifest.Models["concern"].TrainingSize, written.Models["concern"].TrainingSize);
        Assert.All(["concern.csv", "sentiment.csv", "language.csv"], f => Assert.True(File.Exists(Path.Combine(exported, f))));

        var ml = new MLContext(seed: 1);
        PredictionEngine<TextInput, LabelPrediction> Engine(string file) =>
            ml.Model.CreatePredictionEngine<TextInput, LabelPrediction>(ml.Model.Load(Path.Combine(paths.Models, file), out _));
        var concern = Engine(TriageModelFiles.Concern);
        var sentiment = Engine(TriageModelFiles.Sentiment);
        var language = Engine(TriageModelFiles.Language);

        Assert.Equal("where_is_my_order", concern.Predict(new TextInput { Text = "where is my order? the parcel has not arrived" }).Label);
        Assert.Equal("product_quality", concern.Predict(new TextInput { Text = "the zip broke after one wash" }).Label);
        Assert.Equal("praise", concern.Predict(new TextInput { Text = "I love it, gorgeous colour, thank you" }).Label);
        Assert.Equal("positive", sentiment.Predict(new TextInput { Text = "so happy, I love it, thank you" }).Label);
        Assert.Equal("negative", sentiment.Predict(new TextInput { Text = "poor quality, the seams broke" }).Label);
        Assert.Equal("no", language.Predict(new TextInput { Text = "hvor er pakken min, den har ikke kommet" }).Label);
        Assert.Equal("en", language.Predict(new TextInput { Text = "where is my parcel, it has not arrived" }).Label);

        var prediction = concern.Predict(new TextInput { Text = "the zip broke after one wash" });
        Assert.Equal(3, prediction.Score.Length);
        Assert.Equal(1f, prediction.Score.Sum(), 3);
        var model = ml.Model.Load(Path.Combine(paths.Models, TriageModelFiles.Concern), out var schema);
        Assert.Equal(["praise", "product_quality", "where_is_my_order"], TriageModelTrainer.ScoreLabels(model, schema));
        Assert.Equal("product_quality", manifest.Models["concern"].Labels[Array.IndexOf(prediction.Score, prediction.Score.Max())]);
    }

    [Fact]
    public void Evaluating_the_trained_models_reports_every_held_out_corpus()
    {
        var paths = WriteLabels();
        new TriageTraining(paths, TextWriter.Null).Train(null, null);

        var reports = new TriageTraining(paths, TextWriter.Null).Evaluate();

        Assert.Equal(["concern", "sentiment", "language"], reports.Select(r => r.Model).Distinct());
        Assert.All(reports, r => Assert.Equal("care-messages-en", r.Corpus));
        Assert.All(reports, r => Assert.Equal(r.Count, r.Confusion.Sum(row => row.Sum())));
        var output = new StringWriter();
        TriageTraining.WriteJson(reports, output);
        Assert.Contains("\"macroF1\"", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Training_with_a_single_label_says_what_is_missing()
    {
        var labels = Directory.CreateDirectory(Path.Combine(_folder, "one")).FullName;
        File.WriteAllText(Path.Combine(labels, "care_messages_en.csv"), "text,concern,sentiment,language\nwhere is it,where_is_my_order,negative,en\nstill nothing,where_is_my_order,negative,en\n");

        var error = Assert.Throws<InvalidOperationException>(() =>
            new TriageTraining(new TriagePaths(_folder, labels, Path.Combine(_folder, "m")), TextWriter.Null).Train(null, null));

        Assert.Contains("at least two labels", error.Message, StringComparison.Ordinal);
    }
}
