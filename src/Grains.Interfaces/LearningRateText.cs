using System.Globalization;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>How a learning rate is written wherever it is shown (tables, plots, notes): the shortest scientific form that
/// reads back as the same double (1e-3, 1.5e-3, 1.23451e-3); a fixed number of digits printed distinct grid values alike.</summary>
public static class LearningRateText
{
    public static string Of(double lr)
    {
        if (!double.IsFinite(lr)) return lr.ToString(CultureInfo.InvariantCulture);
        string text;
        int decimals = 0;
        do text = lr.ToString("E" + decimals++, CultureInfo.InvariantCulture);   // "1.5E-003"; with 16 decimals, any double reads back
        while (double.Parse(text, CultureInfo.InvariantCulture) != lr);
        int e = text.IndexOf('E');
        return text[..e] + "e" + int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture).ToString("+0;-0", CultureInfo.InvariantCulture);
    }
}
