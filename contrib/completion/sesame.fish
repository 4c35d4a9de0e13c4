# fish completion for sesame(1): commands, options, and from the user's own
# setup the tags (sesame config list --names) and entry IDs (sesame entries).

function __sesame_names
    sesame config list --names 2>/dev/null | string replace -rf "^$argv[1] " ''
end

function __sesame_entries
    sesame entries 2>/dev/null | string replace -r '\t.*' ''
end

set -l commands config doctor entries focus help history keys launch logs menu open ps restart run search secret status stop unlock windows
complete -c sesame -f
complete -c sesame -n "not __fish_seen_subcommand_from $commands" -a "$commands"
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -s t -l tag -x -a '(__sesame_names tag)' -d 'launch profile'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l profile -x -a '(__sesame_names trust)' -d 'trust profile'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l notify -x -a 'auto always never'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l dry-run -d 'show the plan'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l json -d 'print the reply as JSON'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l single -d 'one instance at a time'
complete -c sesame -n "__fish_seen_subcommand_from launch menu" -l unlock -d 'unlock locked vaults'
complete -c sesame -n "__fish_seen_subcommand_from launch" -l service -d 'run it as a transient service'
complete -c sesame -n "__fish_seen_subcommand_from launch" -l raise -d 'focus its window if it has one, else launch'
complete -c sesame -n "__fish_seen_subcommand_from launch" -l wait-start -d 'answer once the app has lived EarlyExitSec='
complete -c sesame -n "__fish_seen_subcommand_from open" -F
complete -c sesame -n "__fish_seen_subcommand_from open" -s t -l tag -x -a '(__sesame_names tag)' -d 'launch profile'
complete -c sesame -n "__fish_seen_subcommand_from open" -l profile -x -a '(__sesame_names trust)' -d 'trust profile'
complete -c sesame -n "__fish_seen_subcommand_from open" -s e -l entry -x -a '(__sesame_entries)' -d 'open with this entry'
complete -c sesame -n "__fish_seen_subcommand_from open" -l action -x -d 'a desktop action of the entry'
complete -c sesame -n "__fish_seen_subcommand_from open" -l ask -d 'pick the app in a picker'
complete -c sesame -n "__fish_seen_subcommand_from open" -l picker -x -d 'the picker for --ask'
complete -c sesame -n "__fish_seen_subcommand_from open" -l dry-run -d 'show type, rule, app and argv'
complete -c sesame -n "__fish_seen_subcommand_from open" -l json -d 'print the replies as JSON'
complete -c sesame -n "__fish_seen_subcommand_from open" -l notify -x -a 'auto always never'
complete -c sesame -n "__fish_seen_subcommand_from open" -l set-default -d 'make sesame the default of types'
complete -c sesame -n "__fish_seen_subcommand_from open" -l unset-default -d 'take sesame out of the defaults of types'
complete -c sesame -n "__fish_seen_subcommand_from open" -l help -d 'show the help'
complete -c sesame -n "__fish_seen_subcommand_from logs restart stop focus" -a '(__sesame_entries)'
complete -c sesame -n "__fish_seen_subcommand_from launch" -a '(__sesame_entries)'
complete -c sesame -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from check list show" -a 'check list show'
complete -c sesame -n "__fish_seen_subcommand_from show" -a '(__sesame_names tag; __sesame_names trust)'
complete -c sesame -n "__fish_seen_subcommand_from help" -a "$commands"
