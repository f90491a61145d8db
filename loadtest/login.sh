#!/bin/sh
# login.sh BASE: prints the Cookie header of the member "perfmember" (password
# "correct horse battery staple", made with forewarn user add) signed in.
B=$1; J=$(mktemp)
tok=$(curl -s -c $J -b $J "$B/en/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -w '%{http_code}\n' -c $J -b $J --data-urlencode "_csrf=$tok" --data-urlencode "pseudonym=perfmember" --data-urlencode "password=correct horse battery staple" "$B/en/login" >&2
curl -s -o /dev/null -c $J -b $J "$B/en/account"
awk '!/^#/ && NF>=7 {printf "%s%s=%s", sep, $6, $7; sep="; "} /^#HttpOnly_/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' $J
rm -f $J
