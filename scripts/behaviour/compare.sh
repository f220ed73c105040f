# Sourced by scripts/behaviour-check.sh --compare: two manifests, line by line.

compare_manifests() {  # $1 = before, $2 = after; 0 when equal, 1 otherwise
  local a="$1" b="$2"
  [[ -r "$a" && -r "$b" ]] || { echo "error: cannot read $a or $b" >&2; return 2; }
  if cmp -s "$a" "$b"; then
    echo "same: $(wc -l <"$a") lines ($(grep -c '/exit  ' "$a" || true) runs) identical"
    return 0
  fi
  # Keys present on one side only, then keys whose value differs.
  join -j1 -a1 -a2 -e MISSING -o 0,1.2,2.2 -t $'\t' \
    <(sed 's/  /\t/' "$a" | sort -t $'\t' -k1,1) <(sed 's/  /\t/' "$b" | sort -t $'\t' -k1,1) |
    awk -F'\t' '$2 != $3 {n++; printf "DIFF %s\n  before: %s\n  after:  %s\n", $1, $2, $3}
      END {printf "%d of %d items differ\n", n, NR; exit n > 0}'
}
