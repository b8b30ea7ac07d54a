namespace GradGuessCluster.Client.Commands;

/// <summary>The text of <c>gradguess completion</c>'s script: one bash function, registered for <c>gradguess</c> and
/// <c>./gradguess</c> (zsh loads bash's completion API first).</summary>
internal static class CompletionScript
{
    /// <param name="client">The command that runs the client, each word unquoted.</param>
    public static string For(string shell, IReadOnlyList<string> client)
    {
        var run = string.Join(" ", client.Select(Quoted));
        var prelude = shell == "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" : "";
        return $$"""
            # Tab completion for gradguess ({{shell}}), as `gradguess completion {{shell}}` wrote it: in ~/.{{shell}}rc,
            #   eval "$(./gradguess completion {{shell}})"
            # It runs the client built at the path below; run that command again if the checkout moves.
            {{prelude}}_gradguess_complete() {
                local cur=${COMP_WORDS[COMP_CWORD]} word IFS=$'\n'
                local -a said values=()
                # Verbs, options and option values at the cursor, as the client's parser sees the line (once each: it
                # may offer a sweep's name for two arguments).
                said=($({{run}} "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null | sort -u))
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "${said[*]}" -- "$cur"))
                    return
                fi
                for word in "${said[@]}"; do [[ $word == [-/]* ]] || values+=("$word"); done
                COMPREPLY=($(compgen -W "${values[*]}" -- "$cur"))
                # Nothing the parser knows of here: a file (a spec, --out, a checkpoint, a state directory).
                ((${#COMPREPLY[@]} > 0)) || COMPREPLY=($(compgen -f -- "$cur"))
            }
            complete -o filenames -F _gradguess_complete gradguess ./gradguess

            """.Replace("\r\n", "\n");
    }

    /// <summary>A word in single quotes, each quote inside closed, escaped and reopened.</summary>
    private static string Quoted(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
