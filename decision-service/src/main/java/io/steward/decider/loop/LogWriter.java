package io.steward.decider.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.steward.events.kafka.TopicLayout;

/**
 * The leader's transactional producer. Every instance uses the same {@code transactional.id}, so
 * the broker lets only the most recent {@code initTransactions} write: opening this writer fences
 * any earlier leader's producer, even one that wakes up in the middle of a transaction.
 *
 * <p>Not thread-safe: used by the loop's thread only.
 */
final class LogWriter implements AutoCloseable {

    /** The broker refused the write: a newer leader has opened its writer. */
    static final class Deposed extends RuntimeException {
        Deposed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String logTopic;
    private final ConsumerGroupMetadata group;

    /** Opens the writer and fences every earlier one; blocks until the broker agrees. */
    LogWriter(String bootstrapServers, Map<String, String> extra, String transactionalId, String logTopic,
              String consumerGroup) {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        // a transaction that cannot be delivered fails within 10 s rather than Kafka's 2 minutes:
        // the leadership resigns when the loop gets nothing written for longer (LoopProgress)
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(TopicLayout.MAX_SNAPSHOT_BYTES));
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.logTopic = logTopic;
        this.group = new ConsumerGroupMetadata(consumerGroup);
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Writes {@code records} and the consumed {@code positions} in one transaction; returns, per log
     * partition, the offset of the last record written there.
     *
     * @param stillLeader checked just before the commit; when false the transaction is aborted
     * @return null when aborted because {@code stillLeader} said no
     * @throws Deposed when the broker fenced this writer
     */
    Map<Integer, Long> write(List<ProducerRecord<byte[], byte[]>> records,
                             Map<TopicPartition, OffsetAndMetadata> positions, java.util.function.BooleanSupplier stillLeader) {
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            if (!positions.isEmpty()) {
                producer.sendOffsetsToTransaction(positions, group);
            }
            producer.flush();
            if (!stillLeader.getAsBoolean()) {
                producer.abortTransaction();
                return null;
            }
            producer.commitTransaction();
            Map<Integer, Long> last = new HashMap<>();
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get();
                if (metadata.topic().equals(logTopic)) {
                    last.merge(metadata.partition(), metadata.offset(), Math::max);
                }
            }
            return last;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new Deposed("the broker refused the write: a newer decider has opened its writer ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException) {
                throw new Deposed("the broker refused the write: a newer decider has opened its writer", e.getCause());
            }
            abortQuietly();
            throw new KafkaException("writing the transaction failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortQuietly();
            throw new KafkaException("interrupted while writing", e);
        } catch (KafkaException e) {
            if (e.getCause() instanceof ProducerFencedException) {
                throw new Deposed("the broker refused the write: a newer decider has opened its writer", e.getCause());
            }
            abortQuietly();
            throw e;
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the producer is unusable; the caller closes it
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
