# bash completion for syndlint                                -*- shell-script -*-
# Installed as $datadir/bash-completion/completions/syndlint; or source it.

_syndlint()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="scan rules diff merge --version --help"
    local formats="text json jsonl junit sarif html csv markdown"
    local scan_opts="--config --rules --rules-dir --format --report --report-dir --baseline
        --compare --fail-on -j --jobs --include --exclude --max-file-size --max-documents
        --max-depth --max-doc-size --regex-match-limit --jit-stack --timeout --follow --inputs --cache-dir --no-cache
        --fetch-timeout --max-redirects --color --quiet --shard --no-inline-suppressions
        --report-unused-suppressions --ignore-file --changed-since"

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi

    case $prev in
        --format) COMPREPLY=($(compgen -W "$formats" -- "$cur")); return ;;
        --fail-on) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --report)
            local f
            COMPREPLY=()
            for f in ${formats#text }; do
                [[ $f: == "$cur"* ]] && COMPREPLY+=("$f:")
            done
            compopt -o nospace 2>/dev/null
            return ;;
        --rules-dir | --report-dir | --cache-dir)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --config | --rules | --baseline | --compare | --inputs | --ignore-file | -o | --output)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --changed-since)
            COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur"))
            return ;;
        -j | --jobs | --max-file-size | --max-documents | --max-depth | --shard | --timeout \
            | --fetch-timeout | --max-redirects | --include | --exclude | --regex-match-limit \
            | --max-doc-size | --jit-stack)
            return ;;
    esac

    case ${words[1]} in
        scan)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$scan_opts" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
        rules)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "list test explain" -- "$cur"))
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--config --rules --rules-dir --verbose" -- "$cur"))
            fi ;;
        diff)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--brief" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
        merge)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-o --output" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
    esac
}
complete -o filenames -F _syndlint syndlint
