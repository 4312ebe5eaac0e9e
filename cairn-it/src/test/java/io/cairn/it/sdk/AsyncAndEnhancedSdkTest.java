package io.cairn.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

class AsyncAndEnhancedSdkTest extends SdkTestBase {

  @Test
  void asyncClientWritesAndReadsConcurrently() {
    String table = createTable("async", null);
    List<CompletableFuture<PutItemResponse>> puts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      puts.add(dynamoAsync.putItem(b -> b.tableName(table).item(Map.of(
          "pk", AttributeValue.fromS("k" + n), "v", AttributeValue.fromN(Integer.toString(n))))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < 200; i += 37) {
      int n = i;
      Map<String, AttributeValue> item = dynamoAsync.getItem(b -> b.tableName(table)
          .key(Map.of("pk", AttributeValue.fromS("k" + n))).consistentRead(true)).join().item();
      assertThat(item.get("v").n()).isEqualTo(Integer.toString(n));
    }
    assertThat(dynamoAsync.describeTable(b -> b.tableName(table)).join().table().itemCount()).isEqualTo(200L);
  }

  @Test
  void enhancedClientMapsBeansThroughCreatePutGetQueryAndDelete() {
    DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
    DynamoDbTable<Song> songs = enhanced.table(uniqueTableName("songs"), TableSchema.fromBean(Song.class));
    songs.createTable();
    for (int track = 1; track <= 5; track++) {
      songs.putItem(new Song("Arvo Pärt", track, "track " + track, track * 60));
    }
    Song third = songs.getItem(Key.builder().partitionValue("Arvo Pärt").sortValue(3).build());
    assertThat(third.getTitle()).isEqualTo("track 3");
    assertThat(third.getSeconds()).isEqualTo(180);

    List<Integer> tracks = new ArrayList<>();
    songs.query(QueryConditional.sortGreaterThan(Key.builder().partitionValue("Arvo Pärt").sortValue(2).build()))
        .items().forEach(song -> tracks.add(song.getTrack()));
    assertThat(tracks).containsExactly(3, 4, 5);

    songs.deleteItem(Key.builder().partitionValue("Arvo Pärt").sortValue(3).build());
    assertThat(songs.scan().items().stream().count()).isEqualTo(4);
  }

  @DynamoDbBean
  public static final class Song {
    private String artist;
    private Integer track;
    private String title;
    private Integer seconds;

    public Song() {}

    Song(String artist, int track, String title, int seconds) {
      this.artist = artist;
      this.track = track;
      this.title = title;
      this.seconds = seconds;
    }

    @DynamoDbPartitionKey
    public String getArtist() {
      return artist;
    }

    public void setArtist(String artist) {
      this.artist = artist;
    }

    @DynamoDbSortKey
    public Integer getTrack() {
      return track;
    }

    public void setTrack(Integer track) {
      this.track = track;
    }

    public String getTitle() {
      return title;
    }

    public void setTitle(String title) {
      this.title = title;
    }

    public Integer getSeconds() {
      return seconds;
    }

    public void setSeconds(Integer seconds) {
      this.seconds = seconds;
    }
  }
}
