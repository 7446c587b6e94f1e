namespace Crawler.Core.Yaml;

/// <summary>One problem found in a user-supplied document, located as precisely as the input allows.</summary>
public sealed record InputProblem(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Field}: {Message}" : $"{File}: {Field}: {Message}";
}

/// <summary>Thrown when a document cannot be accepted; carries every problem found, not just the first.</summary>
public sealed class InputException : Exception
{
    public InputException(IReadOnlyList<InputProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
    {
        Problems = problems;
    }

    public InputException(InputProblem problem) : this([problem])
    {
    }

    public IReadOnlyList<InputProblem> Problems { get; }
}
