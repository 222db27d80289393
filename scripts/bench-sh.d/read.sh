# CPU: a read loop over a file ($2: the file), fields split by IFS.
n=${1:-1}
i=0 lines=0 sum=0
while [ $i -lt $n ]; do
    while IFS=: read -r name pw uid gid rest; do
        lines=$((lines + 1))
        sum=$((sum + uid))
    done < "$2"
    i=$((i + 1))
done
echo $lines $sum
